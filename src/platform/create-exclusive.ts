import { closeSync, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tempPathFor } from './atomic-replace.js';

/** link(2) refusals that mean "this filesystem has no hard links" (FAT, some network and sandbox mounts). */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

function writeNew(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates `path` holding `text` only if nothing is there, and never visible half-written: the text goes to a
 * temp file first, which link(2) then gives the final name (EEXIST if taken). Filesystems without hard links
 * fall back to O_EXCL + write, where a reader may briefly see an empty file (inspectLock's `empty`).
 * True when created; false when something already exists at `path`; other errors are thrown.
 */
export function createExclusive(path: string, text: string): boolean {
  const temp = tempPathFor(path);
  writeNew(temp, text);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(code)) throw error;
  } finally {
    unlinkSync(temp);
  }
  try {
    writeNew(path, text);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
