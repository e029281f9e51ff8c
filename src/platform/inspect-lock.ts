import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { parseLockRecord, type LockRecord } from './lock-record.js';
import { probeProcess, type ProcessIdentity } from './process-identity.js';

/** What a waiter finds at a lock path. `id` (dev:ino) names the exact file, so a takeover removes only what was judged. */
export type LockState =
  | { kind: 'free' }
  /**
   * A holder that may still be working. `forPerson`: it waits for a person (a prompt, or it is stopped), so
   * waiters bound their wait. `unverifiable`: on another host or in another PID namespace, liveness unknown.
   */
  | { kind: 'held'; id: string; record: LockRecord; forPerson: boolean; unverifiable?: string }
  /** Safe to take over: its holder is gone (or it is an empty directory left by swrole ≤ 0.1's lock library). */
  | { kind: 'stale'; id: string; why: string; directory: boolean; nonce?: string }
  /** A file with no content yet: a holder between create and write (no-hard-link filesystems), or a crash. */
  | { kind: 'empty'; id: string }
  | { kind: 'unusable'; why: string };

const MAX_LOCK_BYTES = 4096;
// Never follow a symlink, never block on a FIFO planted at the lock path (no such flags on Windows).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A lock file's identity (dev:ino) and text; undefined when there is none, or it is not a regular file. */
export function readLockFile(path: string): { id: string; text: string } | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    // ELOOP: a symlink swapped in since the caller's lstat (O_NOFOLLOW refused it).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return { id: `${stat.dev}:${stat.ino}`, text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Liveness of a recorded holder as seen by `self` (see ProcessIdentity for what each field allows). */
function judge(record: LockRecord, id: string, self: ProcessIdentity, platform: NodeJS.Platform): LockState {
  if (record.host !== self.host) {
    return { kind: 'held', id, record, forPerson: record.person, unverifiable: `it runs on host ${record.host}` };
  }
  if (record.boot !== undefined && self.boot !== undefined && record.boot !== self.boot) {
    return { kind: 'stale', id, why: 'it was taken before the last reboot', directory: false, nonce: record.nonce };
  }
  if (record.pidns !== undefined && self.pidns !== undefined && record.pidns !== self.pidns) {
    return { kind: 'held', id, record, forPerson: record.person, unverifiable: 'it runs in another PID namespace (a container?)' };
  }
  const state = probeProcess(record, platform);
  if (state.kind === 'gone') return { kind: 'stale', id, why: state.why, directory: false, nonce: record.nonce };
  return { kind: 'held', id, record, forPerson: record.person || state.kind === 'stopped' };
}

/**
 * Looks at a lock path without changing anything. Never follows a symlink; anything that is neither a lock
 * file of ours nor an empty directory is `unusable` (the caller reports it instead of deleting what is not ours).
 */
export function inspectLock(path: string, self: ProcessIdentity, platform: NodeJS.Platform): LockState {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
    throw error;
  }
  const id = `${stat.dev}:${stat.ino}`;
  if (stat.isDirectory()) {
    let entries: string[];
    try {
      entries = readdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
      throw error;
    }
    if (entries.length > 0) return { kind: 'unusable', why: `is a directory with ${entries.length} entries in it` };
    return { kind: 'stale', id, why: 'it is an empty lock directory of an older swrole', directory: true };
  }
  if (stat.isSymbolicLink()) return { kind: 'unusable', why: 'is a symbolic link' };
  if (!stat.isFile()) return { kind: 'unusable', why: 'is not a regular file' };
  const content = readLockFile(path);
  // Gone or swapped for something else since the lstat: look again.
  if (content === undefined) return inspectLock(path, self, platform);
  if (content.text.length === 0) return { kind: 'empty', id: content.id };
  const record = parseLockRecord(content.text);
  if (record === undefined) return { kind: 'unusable', why: 'is a file that is not a swrole lock' };
  return judge(record, content.id, self, platform);
}
