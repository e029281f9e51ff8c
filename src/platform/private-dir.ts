import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Error codes meaning "this directory cannot hold our files": fall back to no caching, not to failure. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EDQUOT']);

export function isUnwritableError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && UNWRITABLE.has(code);
}

export interface PrivateDirResult {
  /** True when an existing directory was group/world accessible and we tightened it to 0700. */
  tightened: boolean;
}

/**
 * Creates `dir` (and parents) 0700; an existing dir that is group/world accessible is chmod-ed to 0700,
 * since session files are bearer secrets. Windows has no POSIX modes: skipped there.
 * Throws the fs error (callers test it with isUnwritableError).
 */
export function ensurePrivateDir(dir: string, platform: NodeJS.Platform): PrivateDirResult {
  makeDirs(dir);
  const stat = statSync(dir);
  if (!stat.isDirectory()) {
    throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  }
  if (platform === 'win32' || (stat.mode & 0o077) === 0) return { tightened: false };
  chmodSync(dir, 0o700);
  return { tightened: true };
}

/**
 * mkdir -p, one level at a time. Not `mkdirSync(..., { recursive: true })`: on Node 20 that spins forever
 * when the kernel answers ENOENT for a parent that exists (seen under /proc), and a sandbox may be like that.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    try {
      statSync(current);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
