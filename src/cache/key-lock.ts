import { join } from 'node:path';
import { SwroleError } from '../errors.js';
import { acquireFileLock, type ReleaseLock } from '../platform/file-lock.js';

export type { ReleaseLock };

export interface KeyLockOptions {
  dir: string;
  key: string;
  staleMs: number;
  waitMs: number;
  /** Called if the lock was taken from us (our heartbeat stalled past staleMs); we finish, but say so. */
  onCompromised: (error: Error) => void;
}

/** The per-key lock around a session's check → STS → write: `<key>.lock` beside `<key>.json`. */
export function acquireKeyLock(options: KeyLockOptions): Promise<ReleaseLock> {
  const lockfilePath = join(options.dir, `${options.key}.lock`);
  return acquireFileLock({
    file: join(options.dir, `${options.key}.json`),
    lockfilePath,
    staleMs: options.staleMs,
    waitMs: options.waitMs,
    onCompromised: options.onCompromised,
    timeout: (waited, cause) =>
      new SwroleError(
        'E_CACHE_LOCK_TIMEOUT',
        `another swrole process held the cache lock ${lockfilePath} for more than ${Math.round(waited / 1000)} s`,
        {
          hint: "another swrole may be waiting for an MFA code; finish or cancel it, then retry (a dead holder's lock expires by itself)",
          cause,
        },
      ),
  });
}
