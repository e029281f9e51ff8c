import type { SwroleError } from '../errors.js';
import { loadLockfile } from './load-lockfile.js';

export interface FileLockOptions {
  /** The file the lock protects (need not exist). */
  file: string;
  /** The lock directory proper-lockfile creates (mkdir is the atomic step). */
  lockfilePath: string;
  /** A holder that stopped touching the lock (killed with SIGKILL) loses it after this long. */
  staleMs: number;
  /** Give up waiting for another holder after this long. */
  waitMs: number;
  /** Called if the lock was taken from us (our heartbeat stalled past staleMs); we finish, but say so. */
  onCompromised: (error: Error) => void;
  /** The error to throw when waitMs runs out (a SwroleError naming the file and what to do). */
  timeout: (waitedMs: number, cause: unknown) => SwroleError;
}

export type ReleaseLock = () => Promise<void>;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Cross-process lock for swrole's check → change → write sections (none of the peer tools locks,
 * docs/reference/peers.md §2). proper-lockfile: the holder touches the lock every staleMs/2 (`update`), so a lock
 * left by a killed holder goes stale and the next caller takes it over. Loaded lazily: only a cache miss or a
 * file edit pays for it. We poll with jitter ourselves instead of its `retries`, so the wait is bounded in time.
 */
export async function acquireFileLock(options: FileLockOptions): Promise<ReleaseLock> {
  const { lock } = await loadLockfile();
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lock(options.file, {
        lockfilePath: options.lockfilePath,
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
      if (waited >= options.waitMs) throw options.timeout(waited, error);
      // 25–75 ms with jitter, so 50 waiters do not poll in lockstep; never past the deadline.
      const pause = Math.min(25 + Math.random() * 50 + Math.min(attempt, 10) * 5, options.waitMs - waited);
      await sleep(Math.max(pause, 1));
    }
  }
}
