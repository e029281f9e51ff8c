import { appendFileSync, renameSync, statSync } from 'node:fs';
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

/**
 * Appends one JSON line to <stateDir>/audit.log. Cheap enough for the cache-hit path: one stat and one
 * O_APPEND write, no lock (POSIX appends of a short line from concurrent writers do not interleave).
 * A failure to log never fails the credential request; the caller gets false and may say so in --debug.
 */
export function appendAuditRecord(stateDir: string, record: AuditRecord, maxBytes = AUDIT_MAX_BYTES): boolean {
  const file = join(stateDir, AUDIT_FILE);
  try {
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    // Two writers may both rotate: the second rename moves a near-empty file, losing at most a line or two.
    if (size >= maxBytes) renameSync(file, `${file}.1`);
    appendFileSync(file, renderAuditRecord(record), { mode: 0o600, flag: 'a' });
    return true;
  } catch {
    return false;
  }
}
