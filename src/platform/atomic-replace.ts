import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temp files of this writer are `.<name>.swrole-<random>.tmp` beside the target: a killed writer's are recognisable. */
export function isOwnTempFile(target: string, candidate: string): boolean {
  const prefix = `.${basename(target)}.swrole-`;
  return candidate.startsWith(prefix) && candidate.endsWith('.tmp');
}

const TEMP_NAME = /^\..+\.swrole-[a-z0-9]+\.tmp$/;

/** Whether a directory entry is one of swrole's temp files (for any target). */
export function isSwroleTempFile(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** A fresh temp path beside `target`: `.<name>.swrole-<random>.tmp`. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.swrole-${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/**
 * A writer lives for milliseconds between creating its temp file and renaming it; one left this long (by the
 * filesystem's clock) belongs to a writer that was killed, and holds what it was writing (for the session
 * cache: credentials, MFA sessions included).
 */
export const STALE_TEMP_MS = 10_000;

/**
 * Removes swrole temp files in `dir` (only those of `target` when given) last modified more than STALE_TEMP_MS
 * before (or after: a clock that jumped) `referenceMs`, the mtime of a file just written there, so no wall clock
 * is read. Best effort.
 */
export function removeStaleTempFiles(dir: string, referenceMs: number, maxAgeMs: number = STALE_TEMP_MS, target?: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!isSwroleTempFile(name) || (target !== undefined && !isOwnTempFile(target, name))) continue;
    const path = join(dir, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isFile() || Math.abs(referenceMs - stat.mtimeMs) < maxAgeMs) continue;
      unlinkSync(path);
      removed++;
    } catch {
      // gone meanwhile (its writer renamed it, or another cleaner was first)
    }
  }
  return removed;
}

/**
 * Replaces `target` so that readers see the old bytes or the new bytes, never a mix: temp file in the same
 * directory (O_EXCL, so a planted symlink is never followed), the target's mode, write, fsync, rename, then fsync
 * the directory so the rename itself survives a crash.
 */
export function replaceFileAtomic(target: string, text: string | Uint8Array, mode: number, platform: NodeJS.Platform): void {
  const dir = dirname(target);
  let fd: number | undefined;
  let temp = '';
  for (let attempt = 0; fd === undefined; attempt++) {
    temp = tempPathFor(target);
    try {
      fd = openSync(temp, 'wx', mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
    }
  }
  try {
    // open() applies the umask; the target's own mode is what must survive.
    if (platform !== 'win32') fchmodSync(fd, mode);
    // The next writer of a directory cleans up after killed ones (issue 15): our new file's mtime is "now".
    removeStaleTempFiles(dir, fstatSync(fd).mtimeMs);
    // writeFileSync on a descriptor loops until every byte is written (a large file may take several writes).
    writeFileSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  if (platform === 'win32') return;
  let dirFd: number | undefined;
  try {
    dirFd = openSync(dir, 'r');
    fsyncSync(dirFd);
  } catch {
    // some filesystems refuse fsync on a directory; the data itself is synced
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
  }
}
