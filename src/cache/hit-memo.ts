/**
 * The hit memo: "this exact invocation, with these files unchanged, is answered by that cached session".
 * A cache hit otherwise re-reads and re-parses the AWS config and re-resolves the plan on every call, which is
 * most of the hot path's cost (bench/). The memo is keyed by the command, its own arguments, the cwd and every
 * AWS_ / SWROLE_ / home-and-user variable; it records the stat of each file the answer depended on. Any change
 * (a config edit, a rotated key, another env) misses and the full path runs, then writes a fresh memo.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fastHash } from '../platform/fast-hash.js';
import { writeFileAtomic } from '../platform/atomic-write.js';
import type { PosixUser } from '../platform/deps.js';
import { ensureOwnDir } from '../platform/trusted-dir.js';
import { readTextNoFollow } from '../platform/read-no-follow.js';
import type { AuditTemplate } from '../audit/audit-log.js';

export interface FileStamp {
  path: string;
  /** -1 when the file did not exist (its appearance must invalidate too). */
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface HitMemo {
  version: 1;
  sessionKey: string;
  files: FileStamp[];
  profile: string;
  region: string | null;
  /** What the audit log records for this invocation, less time/pid/source. */
  audit: AuditTemplate;
}

/** Under the state dir. */
export const MEMO_DIR = 'memo';

const ENV_EXTRA = new Set(['HOME', 'USERPROFILE', 'USER', 'LOGNAME', 'USERNAME', 'XDG_CACHE_HOME', 'LOCALAPPDATA']);

export function memoKey(command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const vars = Object.keys(env)
    .filter((name) => name.startsWith('AWS_') || name.startsWith('SWROLE_') || ENV_EXTRA.has(name))
    .sort()
    .map((name) => [name, env[name]]);
  return fastHash(JSON.stringify([1, command, args, cwd, vars]));
}

export function stampFile(path: string): FileStamp {
  try {
    const stat = statSync(path);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
  } catch {
    return { path, size: -1, mtimeMs: 0, ino: 0 };
  }
}

export function filesUnchanged(stamps: readonly FileStamp[]): boolean {
  return stamps.every((s) => {
    const now = stampFile(s.path);
    return now.size === s.size && now.mtimeMs === s.mtimeMs && now.ino === s.ino;
  });
}

function isHitMemo(value: unknown): value is HitMemo {
  const m = value as HitMemo | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.version === 1 &&
    typeof m.sessionKey === 'string' &&
    /^[0-9a-f]{64}$/.test(m.sessionKey) &&
    Array.isArray(m.files) &&
    typeof m.profile === 'string' &&
    (m.region === null || typeof m.region === 'string') &&
    typeof m.audit === 'object' &&
    m.audit !== null
  );
}

/** The memo for `key`, or undefined (absent, corrupt, foreign: a miss, never an error). */
export function readMemo(dir: string, key: string): HitMemo | undefined {
  try {
    const parsed: unknown = JSON.parse(readTextNoFollow(join(dir, `${key}.json`)));
    return isHitMemo(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a memo that cannot be written only costs speed. Holds no secret (keys and paths only). */
export function writeMemo(dir: string, key: string, memo: HitMemo, platform: NodeJS.Platform, user: PosixUser | undefined): void {
  const text = `${JSON.stringify(memo)}\n`;
  try {
    if (readTextNoFollow(join(dir, `${key}.json`)) === text) return; // unchanged: spare the fsync
  } catch {
    // no memo yet
  }
  try {
    // The cache root was verified when the store was opened; memo/ is created 0700 or verified here.
    ensureOwnDir(dir, user, { create: true });
    writeFileAtomic(dir, `${key}.json`, text, platform);
  } catch {
    // read-only state dir (agent sandbox): the full path still answers
  }
}
