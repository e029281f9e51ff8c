import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One issuance of credentials. Never a secret: no key id, no token (DESIGN.md Agents). */
export interface AuditRecord {
  time: string;
  command: string;
  profile: string;
  roleArn: string | null;
  agent: string | null;
  pid: number;
  source: 'hit' | 'sts';
  readOnly?: boolean;
  policyFile?: string;
}

/** An audit record before the moment of issuance is known. */
export type AuditTemplate = Omit<AuditRecord, 'time' | 'pid' | 'source'>;

export function completeAuditRecord(template: AuditTemplate, clock: { now(): number; pid: number }, hit: boolean): AuditRecord {
  return { time: new Date(clock.now()).toISOString(), ...template, pid: clock.pid, source: hit ? 'hit' : 'sts' };
}

export const AUDIT_FILE = 'audit.log';
/** Rotate at 1 MiB, keeping one previous file: a bounded log that still covers days of agent work. */
export const AUDIT_MAX_BYTES = 1024 * 1024;

export function renderAuditRecord(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}

// O_NOFOLLOW: a symlink named audit.log is never written through; O_NONBLOCK: a FIFO there never blocks us.
const APPEND_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** A rotation takes microseconds; a rotation lock older than this was left by a killed writer. */
const ROTATION_LOCK_STALE_MS = 10_000;

/**
 * Appends one JSON line to <stateDir>/audit.log (the caller has verified the dir: src/platform/open-state-dir.ts).
 * Cheap enough for the cache-hit path: one lstat and one O_APPEND write, no lock (POSIX appends of a short line
 * from concurrent writers do not interleave). A failure to log never fails the credential request; the caller
 * gets false and may say so in --debug.
 */
export function appendAuditRecord(stateDir: string, record: AuditRecord, maxBytes = AUDIT_MAX_BYTES): boolean {
  const file = join(stateDir, AUDIT_FILE);
  try {
    const size = lstatSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size >= maxBytes) rotate(file, maxBytes, Date.parse(record.time));
    const fd = openSync(file, APPEND_FLAGS, 0o600);
    try {
      if (!fstatSync(fd).isFile()) return false;
      writeSync(fd, renderAuditRecord(record));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * audit.log → audit.log.1, by one writer at a time. Without the lock, two writers that both saw a full log both
 * renamed: the second moved the fresh log over audit.log.1, and the rotated history was gone. The lock is a
 * directory (mkdir is atomic); a writer that finds it held skips rotating (the holder is doing it), and the
 * holder re-checks the size, since another writer may have rotated between its stat and its lock.
 */
function rotate(file: string, maxBytes: number, now: number): void {
  const lock = `${file}.rotating`;
  try {
    mkdirSync(lock, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const held = lstatSync(lock, { throwIfNoEntry: false });
    // Left by a writer killed mid-rotation: clear it, and let the next writer rotate.
    if (held !== undefined && now - held.mtimeMs > ROTATION_LOCK_STALE_MS) removeLock(lock);
    return;
  }
  try {
    const current = lstatSync(file, { throwIfNoEntry: false });
    if (current !== undefined && current.isFile() && current.size >= maxBytes) renameSync(file, `${file}.1`);
  } finally {
    removeLock(lock);
  }
}

function removeLock(lock: string): void {
  try {
    rmdirSync(lock);
  } catch {
    // already cleared by a writer that found it stale
  }
}
