import { dirname } from 'node:path';
import { closeSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { SwroleError } from '../errors.js';
import { removeStaleTempFiles, STALE_TEMP_MS, tempPathFor } from './atomic-replace.js';
import { createExclusive } from './create-exclusive.js';
import { inspectLock } from './inspect-lock.js';
import { describeHolder, renderLockRecord, type LockRecord } from './lock-record.js';
import { processIdentity } from './process-identity.js';
import { readLockNonce, takeOverStaleLock } from './take-over-lock.js';

/** How long a waiter waits for a live holder, by what the holder is doing (see DEFAULT_LOCK_BOUNDS). */
export interface LockBounds {
  /** A holder that works (STS, a credential_process, an edit). Each of those steps is bounded itself: a backstop. */
  workingMs: number;
  /** A holder that waits for a person (an MFA prompt, or stopped with Ctrl-Z), when a person waits on it too. */
  personInteractiveMs: number;
  /** The same, when a program waits (credential_process in an SDK, an agent): it must not hang on a person. */
  personUnattendedMs: number;
}

export const DEFAULT_LOCK_BOUNDS: LockBounds = { workingMs: 300_000, personInteractiveMs: 180_000, personUnattendedMs: 60_000 };

export interface LockOwner {
  /** Deps.pid. */
  pid: number;
  /** How swrole was invoked (Deps.invocation), shown to waiters. */
  command: string;
  now: () => number;
  platform: NodeJS.Platform;
}

export interface LockWaitTimeout {
  path: string;
  waitedMs: number;
  holder: LockRecord;
  /** The holder waits for a person: the bound was a person bound. */
  forPerson: boolean;
  /** `pid 4242 (swrole login prod), waiting for an MFA code at a terminal since ...`. */
  description: string;
  /** Why the holder's liveness cannot be checked from here (another host, another PID namespace), if so. */
  unverifiable: string | undefined;
}

export interface FileLockOptions {
  /** The lock file, beside what it protects. */
  path: string;
  owner: LockOwner;
  /** What the holder does, for waiters' messages. */
  doing: string;
  /** Whether a person is waiting (decides the bound on a holder that waits for a person). Asked only if needed. */
  interactive?: () => boolean;
  /** Tells a waiting person, once per holder, who is in the way. */
  notify?: (message: string) => void;
  /** Checked while waiting: true ends the wait without the lock (the holder has done what we needed). */
  until?: () => boolean;
  bounds?: Partial<LockBounds>;
  /** The error for a wait that ran out (a SwroleError naming the holder and what to do). */
  timeout: (info: LockWaitTimeout) => SwroleError;
}

export interface HeldLock {
  readonly path: string;
  /** Tells waiters what the holder does now; `person` while it waits for a person. */
  update(doing: string, person: boolean): void;
  /** Removes the lock if it is still ours. False if it was removed or replaced by someone else meanwhile. */
  release(): boolean;
}

/** An empty lock file is a holder between create and write (only where hard links fail) or a crash: this long. */
const EMPTY_GRACE_MS = 1000;
/** A waiting person is told who holds the lock after this long (at once if the holder waits for a person). */
const NOTIFY_AFTER_MS = 2000;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const randomId = () => Math.random().toString(36).slice(2, 10) + Math.random().toString(36).slice(2, 6);

export function lockUnusable(path: string, why: string): SwroleError {
  return new SwroleError('E_LOCK_UNUSABLE', `the lock path ${path} ${why}; swrole cannot use it as a lock`, {
    hint: `it is not a lock of swrole's: move ${path} out of the way (or remove it), then retry`,
  });
}

/**
 * A lock record is written to a temp file, then linked into place: a writer killed in between leaves the temp
 * file. Other writers hold theirs for milliseconds, so only stale ones (STALE_TEMP_MS) are a killed writer's.
 */
function sweepStaleLockTemps(path: string): void {
  const written = lstatSync(path, { throwIfNoEntry: false })?.mtimeMs;
  if (written !== undefined) removeStaleTempFiles(dirname(path), written, STALE_TEMP_MS, path);
}

function heldLock(path: string, record: LockRecord): HeldLock {
  let current = record;
  return {
    path,
    update(doing, person) {
      if ((current.doing === doing && current.person === person) || readLockNonce(path) !== record.nonce) return;
      current = { ...current, doing, person };
      const temp = tempPathFor(path);
      try {
        const fd = openSync(temp, 'wx', 0o600);
        try {
          writeSync(fd, renderLockRecord(current));
        } finally {
          closeSync(fd);
        }
        renameSync(temp, path);
      } catch {
        // only what waiters are told is out of date; the lock itself is unchanged
        try {
          unlinkSync(temp);
        } catch {
          // never created
        }
      }
    },
    release() {
      if (readLockNonce(path) !== record.nonce) return false;
      try {
        unlinkSync(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
  };
}

/**
 * Cross-process lock for swrole's check → change → write sections (sessions, ~/.aws/config, Claude settings).
 * The lock is a file created atomically (link(2), else O_EXCL) that records its holder: PID, process start
 * time, boot id, PID namespace, host, command, and what it is doing. Waiters judge liveness from that record,
 * so nothing depends on the holder's event loop (proper-lockfile's heartbeat starved under load and during
 * the blocking MFA prompt, and waiters stole live locks). A dead holder's lock is taken over at once; a live
 * one is waited for as long as it works (DEFAULT_LOCK_BOUNDS.workingMs is a backstop), and for a bounded time
 * when it waits for a person. Resolves undefined when `until` ended the wait. Filesystem errors (EACCES,
 * EROFS...) are thrown as they came; an unusable lock path (a directory with files, a symlink, a foreign file)
 * is E_LOCK_UNUSABLE.
 */
export async function acquireFileLock(o: FileLockOptions): Promise<HeldLock | undefined> {
  const self = processIdentity(o.owner.pid, o.owner.platform);
  const bounds = { ...DEFAULT_LOCK_BOUNDS, ...o.bounds };
  const emptySince = new Map<string, number>();
  const emptyExpired = (id: string) => {
    const first = emptySince.get(id) ?? performance.now();
    emptySince.set(id, first);
    return performance.now() - first >= EMPTY_GRACE_MS;
  };
  const notified = new Set<string>();
  let interactive: boolean | undefined;
  const isInteractive = () => (interactive ??= o.interactive?.() ?? false);
  let phase: { key: string; since: number } | undefined;
  let quickRetries = 0;
  for (let attempt = 0; ; attempt++) {
    const record: LockRecord = {
      swroleLock: 1,
      ...self,
      nonce: randomId(),
      since: new Date(o.owner.now()).toISOString(),
      command: o.owner.command,
      doing: o.doing,
      person: false,
    };
    const state = inspectLock(o.path, self, o.owner.platform);
    if (state.kind === 'free') {
      if (createExclusive(o.path, renderLockRecord(record))) {
        sweepStaleLockTemps(o.path);
        return heldLock(o.path, record);
      }
      // Someone else created it between our look and our link: look again at once (a few times, then pause).
      if (quickRetries++ < 3) continue;
    } else if (state.kind === 'unusable') {
      throw lockUnusable(o.path, state.why);
    } else if (state.kind === 'stale' || (state.kind === 'empty' && emptyExpired(state.id))) {
      const guard = { ...record, doing: `taking over a stale lock` };
      takeOverStaleLock(o.path, state, { self, platform: o.owner.platform, guard, emptyExpired, unusable: lockUnusable });
      if (quickRetries++ < 3) continue;
    } else if (state.kind === 'held') {
      const key = `${state.record.nonce}:${state.forPerson}`;
      if (phase?.key !== key) phase = { key, since: performance.now() };
      const waited = performance.now() - phase.since;
      const bound = !state.forPerson ? bounds.workingMs : isInteractive() ? bounds.personInteractiveMs : bounds.personUnattendedMs;
      const description = describeHolder(state.record, o.owner.now(), self.host);
      const unverifiable = state.unverifiable;
      if (waited >= bound) {
        throw o.timeout({ path: o.path, waitedMs: waited, holder: state.record, forPerson: state.forPerson, description, unverifiable });
      }
      if (o.notify && !notified.has(key) && (state.forPerson || waited >= NOTIFY_AFTER_MS) && isInteractive()) {
        notified.add(key);
        const caveat = unverifiable ? ` (${unverifiable}: it cannot be checked from here)` : '';
        o.notify(`waiting for ${description}${caveat}; giving up after ${Math.round(bound / 1000)} s (Ctrl-C to stop)`);
      }
    }
    quickRetries = 0;
    if (o.until?.()) return undefined;
    // 20–60 ms with jitter so waiters do not poll in lockstep, slower the longer we wait (≤ 250 ms).
    await sleep(Math.min(20 + Math.random() * 40 + attempt * 2, 250));
  }
}
