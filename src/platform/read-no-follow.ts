import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * A regular file's text, never read through a symlink (ELOOP) nor from a FIFO or device (EINVAL): for files
 * swrole wrote itself in its own directories, where a link or a pipe can only be a plant.
 */
export function readTextNoFollow(path: string): string {
  const fd = openSync(path, READ_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EINVAL' });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
