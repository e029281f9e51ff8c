import type { ProcessIdentity } from './process-identity.js';

/**
 * The content of a swrole lock file (one JSON line): who holds it and what it is doing, so a waiter can tell a
 * live holder from a dead one without any heartbeat, and tell a person who is in the way.
 */
export interface LockRecord extends ProcessIdentity {
  swroleLock: 1;
  /** Random per acquisition: tells this holding apart from an earlier one by the same process. */
  nonce: string;
  /** When the lock was taken (ISO 8601, the holder's clock). */
  since: string;
  /** How the holder was invoked (`swrole login prod`), secrets removed. */
  command: string;
  /** What it is doing now, for messages: `obtaining credentials`, `waiting for an MFA code at a terminal`. */
  doing: string;
  /** True while it waits for a person (an MFA code, a security-key touch): waiters bound their wait. */
  person: boolean;
}

const MAX_FIELD = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const optionalString = (value: unknown) => value === undefined || (typeof value === 'string' && value.length <= MAX_FIELD);
const shortString = (value: unknown) => typeof value === 'string' && value.length <= MAX_FIELD;

/** Text → record, or undefined for anything that is not a complete swrole lock record. */
export function parseLockRecord(text: string): LockRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.swroleLock !== 1) return undefined;
  const { pid } = value;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (![value.host, value.nonce, value.since, value.command, value.doing].every(shortString)) return undefined;
  if (![value.start, value.boot, value.pidns].every(optionalString) || typeof value.person !== 'boolean') return undefined;
  return value as unknown as LockRecord;
}

export function renderLockRecord(record: LockRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** `pid 4242 (swrole login prod) on host build-1, waiting for an MFA code at a terminal since 12:03:04 UTC (95 s ago)` */
export function describeHolder(record: LockRecord, nowMs: number, localHost: string): string {
  const since = Date.parse(record.since);
  const at = Number.isNaN(since) ? record.since : `${new Date(since).toISOString().slice(11, 19)} UTC`;
  const ago = Number.isNaN(since) ? '' : ` (${Math.max(0, Math.round((nowMs - since) / 1000))} s ago)`;
  const host = record.host === localHost ? '' : ` on host ${record.host}`;
  return `pid ${record.pid} (${record.command})${host}, ${record.doing} since ${at}${ago}`;
}
