import { join } from 'node:path';
import { SwroleError, EXIT } from '../errors.js';
import { loadLockfile } from '../platform/load-lockfile.js';

export interface KeyLockOptions {
  dir: string;
  key: string;
  staleMs: number;
  waitMs: number;
  /** Called if the lock was taken from us (our heartbeat stalled past staleMs); we finish, but say so. */
  onCompromised: (error: Error) => void;
}

export type ReleaseLock = () => Promise<void>;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Per-key cross-process lock (none of the peer tools locks around "read → STS → write", reference/peers.md §2).
 * proper-lockfile: mkdir `<key>.lock` is the atomic step; the holder touches its mtime every staleMs/2
 * (`update`), so a holder killed with SIGKILL leaves a lock that goes stale after staleMs and the next caller
 * takes it over. Imported lazily: only a cache miss pays for it (graceful-fs, retry, signal-exit).
 * We poll with jitter ourselves instead of using its `retries`, so the total wait is bounded in time.
 */
export async function acquireKeyLock(options: KeyLockOptions): Promise<ReleaseLock> {
  const { lock } = await loadLockfile();
  const lockfilePath = join(options.dir, `${options.key}.lock`);
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lock(join(options.dir, `${options.key}.json`), {
        lockfilePath,
        realpath: false,
        stale: options.staleMs,
        update: Math.floor(options.staleMs / 2),
        retries: 0,
        onCompromised: options.onCompromised,
      });
      return async () => {
        try {
          await release();
        } catch {
          // already released or compromised (reported through onCompromised)
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const waited = performance.now() - started;
      if (waited >= options.waitMs) {
        throw new SwroleError(
          'E_CACHE_LOCK_TIMEOUT',
          `another swrole process held the cache lock ${lockfilePath} for more than ${Math.round(waited / 1000)} s`,
          {
            hint: 'another swrole may be waiting for an MFA code; finish or cancel it, then retry (a dead holder\'s lock expires by itself)',
            exit: EXIT.cache,
            cause: error,
          },
        );
      }
      // 25–75 ms with jitter, so 50 waiters do not poll in lockstep; never past the deadline.
      const pause = Math.min(25 + Math.random() * 50 + Math.min(attempt, 10) * 5, options.waitMs - waited);
      await sleep(Math.max(pause, 1));
    }
  }
}
