import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Leftover temp files (a writer killed mid-write) carry this suffix; clear() removes them. */
export const TEMP_SUFFIX = '.tmp';

function tempName(name: string, attempt: number): string {
  return `.${name}.${Math.random().toString(36).slice(2, 10)}${attempt}${TEMP_SUFFIX}`;
}

/**
 * Writes `dir/name` so that a reader sees either the old file or the whole new one, never a torn one:
 * temp file in the same dir opened O_CREAT|O_EXCL ('wx', which never follows a planted symlink) with 0600,
 * write, fsync, rename over the target, fsync the directory so the rename survives a crash.
 * (botocore moved to the same scheme in boto/botocore#3597 after readers saw half-written cache files.)
 */
export function writeFileAtomic(dir: string, name: string, text: string, platform: NodeJS.Platform): void {
  let fd: number | undefined;
  let temp = '';
  for (let attempt = 0; fd === undefined; attempt++) {
    temp = join(dir, tempName(name, attempt));
    try {
      fd = openSync(temp, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
    }
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, join(dir, name));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  syncDir(dir, platform);
}

/** fsync on a directory is how POSIX makes a rename durable; Windows cannot open a dir for it. */
function syncDir(dir: string, platform: NodeJS.Platform): void {
  if (platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on a directory; the data itself is already synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
