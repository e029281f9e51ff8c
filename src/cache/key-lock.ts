import { join } from 'node:path';
import { SwroleError } from '../errors.js';
import { acquireFileLock, type FileLockOptions, type HeldLock, type LockWaitTimeout } from '../platform/file-lock.js';

export type { HeldLock };

export interface KeyLockOptions extends Omit<FileLockOptions, 'path' | 'timeout' | 'doing'> {
  dir: string;
  key: string;
}

function timeoutError(info: LockWaitTimeout): SwroleError {
  const seconds = Math.round(info.waitedMs / 1000);
  if (info.forPerson) {
    return new SwroleError(
      'E_CACHE_LOCK_TIMEOUT',
      `the session cache lock ${info.path} is held by ${info.description}; gave up waiting after ${seconds} s`,
      {
        hint: 'that swrole waits for a person: answer or cancel (Ctrl-C) its prompt, or resume it if it was stopped (fg), then retry',
      },
    );
  }
  return new SwroleError(
    'E_CACHE_LOCK_TIMEOUT',
    `the session cache lock ${info.path} has been held for ${seconds} s by ${info.description}`,
    {
      hint: info.unverifiable
        ? `${info.unverifiable}, so swrole cannot tell whether it still runs; if it does not, remove ${info.path}`
        : `if process ${info.holder.pid} is stuck, stop it (the lock is freed when it exits), then retry`,
    },
  );
}

/**
 * The per-key lock around a session's check → STS → write: `<key>.lock` beside `<key>.json`. Imported
 * dynamically by the session store, so a cache hit never loads the lock code.
 */
export function acquireKeyLock(options: KeyLockOptions): Promise<HeldLock | undefined> {
  const { dir, key, ...rest } = options;
  return acquireFileLock({ ...rest, path: join(dir, `${key}.lock`), doing: 'obtaining credentials', timeout: timeoutError });
}
