import { chmodSync, statSync } from 'node:fs';
import type { PosixUser } from './deps.js';
import { makeDirs } from './make-dirs.js';
import { inspectOwnDir, unsafeDirError } from './trusted-dir.js';

export { makeDirs } from './make-dirs.js';

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
 * Creates `dir` (and parents) 0700; an existing dir that is group/world readable is chmod-ed to 0700, since
 * session files are bearer secrets. With `user`, the trust rule of src/platform/trusted-dir.ts applies: a dir
 * owned by someone else, writable by others or a foreign symlink throws E_STATE_DIR_UNSAFE. Windows has no
 * POSIX modes: skipped there. Throws fs errors as they come (callers test them with isUnwritableError).
 */
export function ensurePrivateDir(dir: string, platform: NodeJS.Platform, user?: PosixUser): PrivateDirResult {
  makeDirs(dir);
  if (user !== undefined && platform !== 'win32') {
    const verdict = inspectOwnDir(dir, user);
    if (verdict.kind === 'unsafe') throw unsafeDirError(dir, verdict);
    if (verdict.kind === 'notdir') throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR', path: dir });
    if (verdict.kind !== 'loose') return { tightened: false };
    chmodSync(dir, 0o700);
    return { tightened: true };
  }
  const stat = statSync(dir);
  if (!stat.isDirectory()) {
    throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  }
  if (platform === 'win32' || (stat.mode & 0o077) === 0) return { tightened: false };
  chmodSync(dir, 0o700);
  return { tightened: true };
}
