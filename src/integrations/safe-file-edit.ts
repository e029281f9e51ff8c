import { acquireFileLock } from '../platform/file-lock.js';
import { copyFileSync, chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SwroleError } from '../errors.js';
import { replaceFileAtomic } from '../platform/atomic-replace.js';
import { resolveLinkTarget } from '../platform/link-target.js';
import { makeDirs } from '../platform/private-dir.js';

export interface SafeEditOptions {
  /** Where the previous bytes are kept before the first change (0600). */
  backupPath: string;
  platform: NodeJS.Platform;
  /** Mode for a file that does not exist yet. */
  newFileMode?: number;
}

export interface SafeEditResult {
  changed: boolean;
  backup: string | undefined;
}

/**
 * Edits a file the user owns (their ~/.aws/config, an agent's settings): lock → read → transform → backup →
 * temp + fsync + rename with the file's own mode. `transform` gets the current text (undefined: no file) and
 * returns the new text, or undefined for "no change". Concurrent swrole runs serialise on the lock, so neither
 * loses the other's edit; a killed run leaves the old or the new file, never a torn one. A symlinked file (a
 * dotfiles repo) stays a link: the file it points at is replaced, with its temp file beside it.
 */
export async function editFileSafely(
  path: string,
  transform: (current: string | undefined) => string | undefined,
  options: SafeEditOptions,
): Promise<SafeEditResult> {
  makeDirs(dirname(path));
  const release = await acquireFileLock({
    file: path,
    lockfilePath: `${path}.swrole.lock`,
    staleMs: 10_000,
    waitMs: 10_000,
    onCompromised: () => {}, // the edit itself is one atomic rename: nothing half-done to report
    timeout: (_waited, cause) =>
      new SwroleError('E_FILE_LOCKED', `${path} is being edited by another swrole process`, {
        hint: `retry in a moment; if no swrole is running, remove ${path}.swrole.lock`,
        cause,
      }),
  });
  try {
    let current: string | undefined;
    let mode: number;
    let target: string;
    try {
      target = resolveLinkTarget(path);
      ({ text: current, mode } = readTextAndMode(target, options.newFileMode ?? 0o600));
    } catch (error) {
      throw readError(path, error);
    }
    const next = transform(current);
    if (next === undefined || next === current) return { changed: false, backup: undefined };
    let backup: string | undefined;
    if (current !== undefined) {
      copyFileSync(target, options.backupPath);
      if (options.platform !== 'win32') chmodSync(options.backupPath, 0o600);
      backup = options.backupPath;
    }
    replaceFileAtomic(target, next, mode, options.platform);
    return { changed: true, backup };
  } finally {
    await release();
  }
}

/**
 * The file's text and permission bits; `text` undefined (and `defaultMode`) when it does not exist. Any other
 * error is thrown as it came: callers decide how to report it.
 */
export function readTextAndMode(path: string, defaultMode: number): { text: string | undefined; mode: number } {
  let text: string | undefined;
  let mode = defaultMode;
  try {
    text = readFileSync(path, 'utf8');
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { text, mode };
}

function readError(path: string, cause: unknown): SwroleError {
  return new SwroleError('E_FILE_READ', `cannot read ${path}: ${(cause as Error).message}`, {
    hint: 'check the file exists and is readable',
    cause,
  });
}
