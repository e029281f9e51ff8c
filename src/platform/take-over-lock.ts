import { linkSync, lstatSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { tempPathFor } from './atomic-replace.js';
import { createExclusive } from './create-exclusive.js';
import { inspectLock, readLockFile, type LockState } from './inspect-lock.js';
import { parseLockRecord, renderLockRecord, type LockRecord } from './lock-record.js';
import type { ProcessIdentity } from './process-identity.js';

export type TakeoverCandidate = Extract<LockState, { kind: 'stale' | 'empty' }>;

export interface TakeoverContext {
  self: ProcessIdentity;
  platform: NodeJS.Platform;
  /** The record our guard file carries (a fresh nonce). */
  guard: LockRecord;
  /** Whether an empty file with this id has been seen empty long enough to be a crash, not a writer. */
  emptyExpired: (id: string) => boolean;
  unusable: (path: string, why: string) => Error;
}

export function readLockNonce(path: string): string | undefined {
  try {
    const content = readLockFile(path);
    return content === undefined ? undefined : parseLockRecord(content.text)?.nonce;
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock so that two stealers cannot both win. Renaming or unlinking by name acts on whatever is
 * there *now*, which may be a live lock created after the stale one went; so stealers first take
 * `<lock>.takeover` (itself a lock record, held for a few system calls), re-inspect, and remove the lock only
 * if it is still the very file judged stale (same device and inode). Callers then retry creating the lock.
 */
export function takeOverStaleLock(path: string, judged: TakeoverCandidate, ctx: TakeoverContext): void {
  const guardPath = `${path}.takeover`;
  if (!createExclusive(guardPath, renderLockRecord(ctx.guard))) {
    const other = inspectLock(guardPath, ctx.self, ctx.platform);
    if (other.kind === 'unusable') throw ctx.unusable(guardPath, other.why);
    if (other.kind === 'stale' || (other.kind === 'empty' && ctx.emptyExpired(other.id))) removeGuardAside(guardPath, other.id);
    return;
  }
  try {
    const again = inspectLock(path, ctx.self, ctx.platform);
    if ((again.kind === 'stale' || again.kind === 'empty') && again.id === judged.id) {
      if (again.kind === 'stale' && again.directory) rmdirSync(path);
      else unlinkSync(path);
    }
  } finally {
    if (readLockNonce(guardPath) === ctx.guard.nonce) unlinkSync(guardPath);
  }
}

/**
 * A guard whose holder died inside its few system calls: rename it aside (atomic, one winner), delete it if it
 * is the file judged, else put back what we moved (a live guard created meanwhile). If the name was taken
 * again in between, two stealers may re-inspect at once; each still removes only the exact file it judged.
 */
function removeGuardAside(guardPath: string, judgedId: string): void {
  const aside = tempPathFor(guardPath);
  try {
    renameSync(guardPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const stat = lstatSync(aside);
  if (`${stat.dev}:${stat.ino}` !== judgedId) {
    try {
      linkSync(aside, guardPath);
    } catch {
      // the name is taken again: the guard we moved belonged to a live stealer, which finds it gone and moves on
    }
  }
  unlinkSync(aside);
}
