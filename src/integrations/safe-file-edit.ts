import { acquireFileLock } from '../platform/file-lock.js';
import { copyFileSync, chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SwroleError } from '../errors.js';
import { replaceFileAtomic } from '../platform/atomic-replace.js';
import { makeDirs } from '../platform/private-dir.js';
import { fileWriteError, translateFileErrors, translateFileErrorsAsync } from '../platform/file-system-error.js';

export interface SafeEditOptions {
  /** Where the previous bytes are kept before the first change (0600). */
  backupPath: string;
  platform: NodeJS.Platform;
  /** Mode for a file that does not exist yet. */
  newFileMode?: number;
  /** Give up waiting for another editor's lock after this long (default 10 s) → E_FILE_LOCKED. */
  lockWaitMs?: number;
}

export interface SafeEditResult {
  changed: boolean;
  backup: string | undefined;
}

/**
 * Edits a file the user owns (their ~/.aws/config, an agent's settings): lock → read → transform → backup →
 * temp + fsync + rename with the file's own mode. `transform` gets the current text (undefined: no file) and
 * returns the new text, or undefined for "no change". Concurrent swrole runs serialise on the lock, so neither
 * loses the other's edit; a killed run leaves the old or the new file, never a torn one.
 */
export async function editFileSafely(
  path: string,
  transform: (current: string | undefined) => string | undefined,
  options: SafeEditOptions,
): Promise<SafeEditResult> {
  // Every write failure names its path; nothing of the user's file has changed when one happens.
  const unchanged = `${path} was not changed`;
  translateFileErrors(
    () => makeDirs(dirname(path)),
    (error) => fileWriteError('create the directory of', path, error, unchanged),
  );
  const lockfilePath = `${path}.swrole.lock`;
  const release = await translateFileErrorsAsync(
    () =>
      acquireFileLock({
        file: path,
        lockfilePath,
        staleMs: 10_000,
        waitMs: options.lockWaitMs ?? 10_000,
        onCompromised: () => {}, // the edit itself is one atomic rename: nothing half-done to report
        timeout: (_waited, cause) =>
          new SwroleError('E_FILE_LOCKED', `${path} is being edited by another swrole process`, {
            hint: `retry in a moment; if no swrole is running, remove ${lockfilePath}`,
            cause,
          }),
      }),
    (error) => fileWriteError('create the lock', lockfilePath, error, unchanged),
  );
  try {
    let current: string | undefined;
    let mode: number;
    try {
      ({ text: current, mode } = readTextAndMode(path, options.newFileMode ?? 0o600));
    } catch (error) {
      throw readError(path, error);
    }
    const next = transform(current);
    if (next === undefined || next === current) return { changed: false, backup: undefined };
    let backup: string | undefined;
    if (current !== undefined) {
      translateFileErrors(
        () => {
          copyFileSync(path, options.backupPath);
          if (options.platform !== 'win32') chmodSync(options.backupPath, 0o600);
        },
        (error) => fileWriteError('write the backup', options.backupPath, error, unchanged),
      );
      backup = options.backupPath;
    }
    translateFileErrors(
      () => replaceFileAtomic(path, next, mode, options.platform),
      (error) => fileWriteError('write', path, error, unchanged),
    );
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
