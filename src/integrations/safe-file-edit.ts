import { acquireFileLock, type LockOwner } from '../platform/file-lock.js';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SwroleError } from '../errors.js';
import { replaceFileAtomic } from '../platform/atomic-replace.js';
import { resolveLinkTarget } from '../platform/link-target.js';
import { makeDirs } from '../platform/private-dir.js';
import { fileWriteError, translateFileErrors, translateFileErrorsAsync } from '../platform/file-system-error.js';

export interface SafeEditOptions {
  /** Where the previous bytes are kept before the first change (0600). */
  backupPath: string;
  platform: NodeJS.Platform;
  /** This process, for the lock record other editors read (Deps.pid, Deps.invocation, Deps.now). */
  owner: Omit<LockOwner, 'platform'>;
  /** Mode for a file that does not exist yet. */
  newFileMode?: number;
  /**
   * What the backup keeps of the previous text (default: every byte). `swrole keys import` redacts the secret it
   * moves to the keyring, so that the backup is not the one plaintext copy left on disk.
   */
  backupText?: (previous: string) => string;
  /** Give up waiting for another live editor after this long (default 30 s) → E_FILE_LOCKED. */
  lockWaitMs?: number;
}

export interface SafeEditResult {
  changed: boolean;
  backup: string | undefined;
}

/** How long an editor waits for another live editor of the same file. */
const EDIT_WAIT_MS = 30_000;

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
  // Every write failure names its path; nothing of the user's file has changed when one happens.
  const unchanged = `${path} was not changed`;
  translateFileErrors(
    () => makeDirs(dirname(path)),
    (error) => fileWriteError('create the directory of', path, error, unchanged),
  );
  const lockPath = `${path}.swrole.lock`;
  const lock = await translateFileErrorsAsync(
    () =>
      acquireFileLock({
        path: lockPath,
        owner: { ...options.owner, platform: options.platform },
        doing: `editing ${path}`,
        // An edit takes milliseconds: a holder still there after this is stuck.
        bounds: { workingMs: options.lockWaitMs ?? EDIT_WAIT_MS },
        timeout: (info) =>
          new SwroleError('E_FILE_LOCKED', `${path} has been locked for ${Math.round(info.waitedMs / 1000)} s by ${info.description}`, {
            hint: `if that process is stuck, stop it and retry${info.unverifiable ? ` (${info.unverifiable}; if it is not running, remove ${info.path})` : ''}`,
          }),
      }),
    (error) => fileWriteError('create the lock', lockPath, error, unchanged),
  );
  // Without `until` the wait ends only with the lock.
  if (lock === undefined) throw new Error('acquireFileLock returned without the lock');
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
      translateFileErrors(
        // Temp + rename, exact bytes: copyFileSync truncated the old backup first, and a kill -9 during the copy
        // left it empty or cut off (found by `npm run chaos`; test/e2e/setup-backup-kill.test.ts).
        // A backupText (keys import) replaces what the backup must not hold, such as the secret moved to the keyring.
        () =>
          replaceFileAtomic(
            options.backupPath,
            options.backupText !== undefined ? options.backupText(current) : readFileSync(target),
            0o600,
            options.platform,
          ),
        (error) => fileWriteError('write the backup', options.backupPath, error, unchanged),
      );
      backup = options.backupPath;
    }
    translateFileErrors(
      () => replaceFileAtomic(target, next, mode, options.platform),
      (error) => fileWriteError('write', target, error, unchanged),
    );
    return { changed: true, backup };
  } finally {
    lock.release();
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
