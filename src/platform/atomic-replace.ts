import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temp files of this writer are `.<name>.swrole-<random>.tmp` beside the target: a killed writer's are recognisable. */
export function isOwnTempFile(target: string, candidate: string): boolean {
  const prefix = `.${basename(target)}.swrole-`;
  return candidate.startsWith(prefix) && candidate.endsWith('.tmp');
}

/** A fresh temp path beside `target`: `.<name>.swrole-<random>.tmp`. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.swrole-${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/**
 * Replaces `target` so that readers see the old bytes or the new bytes, never a mix: temp file in the same
 * directory (O_EXCL, so a planted symlink is never followed), the target's mode, write, fsync, rename, then fsync
 * the directory so the rename itself survives a crash.
 */
export function replaceFileAtomic(target: string, text: string, mode: number, platform: NodeJS.Platform): void {
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
    writeSync(fd, text);
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
