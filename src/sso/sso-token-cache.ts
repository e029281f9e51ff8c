import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFileAtomic } from '../platform/atomic-replace.js';
import { makeDirs } from '../platform/private-dir.js';
import {
  parseSsoRegistration,
  parseSsoToken,
  renderSsoRegistration,
  renderSsoToken,
  type SsoRegistration,
  type SsoToken,
} from './sso-token-file.js';

const MAX_BYTES = 1 << 20;
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** A file of the cache as read: absent, present but unusable (torn, foreign), or parsed. */
export type CacheRead<T> = { state: 'missing' } | { state: 'invalid' } | { state: 'ok'; value: T; text: string };

function readText(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_BYTES) return '';
    return readFileSync(fd, 'utf8');
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads one JSON file of the cache. The AWS CLI writes its token files in place (open + truncate + write), so a
 * reader can see a torn file: a parse failure is retried a few times over ~100 ms before it counts as invalid.
 */
async function readJson<T>(path: string, parse: (text: string) => T | undefined): Promise<CacheRead<T>> {
  for (let attempt = 0; ; attempt++) {
    const text = readText(path);
    if (text === undefined) return { state: 'missing' };
    const value = parse(text);
    if (value !== undefined) return { state: 'ok', value, text };
    if (attempt >= 2) return { state: 'invalid' };
    await pause(40);
  }
}

export function readSsoTokenFile(dir: string, key: string): Promise<CacheRead<SsoToken>> {
  return readJson(join(dir, `${key}.json`), parseSsoToken);
}

export function readRegistrationFile(dir: string, key: string): Promise<CacheRead<SsoRegistration>> {
  return readJson(join(dir, `${key}.json`), parseSsoRegistration);
}

/**
 * Writes the way botocore's refresh does (temp file in the same dir, fsync, rename; 0600), in the CLI's format. A
 * missing cache dir is created 0700; an existing one is never chmod-ed (the AWS tools made it, with their umask).
 */
function writeCacheFile(dir: string, key: string, text: string, platform: NodeJS.Platform): void {
  try {
    statSync(dir);
  } catch {
    makeDirs(dir);
  }
  replaceFileAtomic(join(dir, `${key}.json`), text, 0o600, platform);
}

export function writeSsoTokenFile(dir: string, key: string, token: SsoToken, platform: NodeJS.Platform): void {
  writeCacheFile(dir, key, renderSsoToken(token), platform);
}

export function writeRegistrationFile(dir: string, key: string, registration: SsoRegistration, platform: NodeJS.Platform): void {
  writeCacheFile(dir, key, renderSsoRegistration(registration), platform);
}

/** Removes a cache file; false when it was not there. */
export function removeCacheFile(dir: string, key: string): boolean {
  try {
    unlinkSync(join(dir, `${key}.json`));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** One synchronous look (no retry): for a lock waiter's "has the holder written it yet?". */
export function peekSsoToken(dir: string, key: string): SsoToken | undefined {
  const text = readText(join(dir, `${key}.json`));
  return text === undefined ? undefined : parseSsoToken(text);
}
