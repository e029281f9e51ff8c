import type { Credentials } from '../domain/credentials.js';
import type { SessionKind, StoredSession } from './types.js';

const KINDS: ReadonlySet<string> = new Set<SessionKind>(['mfaSession', 'role', 'source']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isCredentials(value: unknown): value is Credentials {
  if (!isRecord(value)) return false;
  if (typeof value.accessKeyId !== 'string' || value.accessKeyId === '') return false;
  if (typeof value.secretAccessKey !== 'string' || value.secretAccessKey === '') return false;
  if (!isOptionalString(value.sessionToken) || !isOptionalString(value.accountId)) return false;
  if (value.expiration === undefined) return true;
  return typeof value.expiration === 'string' && !Number.isNaN(Date.parse(value.expiration));
}

function isMeta(value: unknown): value is StoredSession['meta'] {
  if (!isRecord(value)) return false;
  return Object.values(value).every((v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
}

/** Guards untyped JSON: a session file of this version, with usable credentials and a parseable expiry. */
/** A session file's content (version 1). */
export function storedSession(kind: SessionKind, profile: string, credentials: Credentials, meta: StoredSession['meta']): StoredSession {
  return { version: 1, kind, profile, credentials, meta };
}

export function isStoredSession(value: unknown): value is StoredSession {
  if (!isRecord(value)) return false;
  return (
    value.version === 1 &&
    typeof value.kind === 'string' &&
    KINDS.has(value.kind) &&
    typeof value.profile === 'string' &&
    isCredentials(value.credentials) &&
    isMeta(value.meta)
  );
}

/** Text → session, or undefined for anything else (corrupt, truncated, foreign, other version). */
export function parseStoredSession(text: string): StoredSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isStoredSession(value) ? value : undefined;
}

/** Session → file text (one line, trailing newline). */
export function renderStoredSession(session: StoredSession): string {
  return `${JSON.stringify(session)}\n`;
}

/** Expiry in epoch ms, or undefined when the credentials carry none. */
export function expiresAtMs(session: StoredSession): number | undefined {
  const expiration = session.credentials.expiration;
  return expiration === undefined ? undefined : Date.parse(expiration);
}

/** Never hand out credentials that expire within this, whatever the configured window (DESIGN.md). */
export const MIN_REMAINING_MS = 60_000;

/**
 * A hit while more than the refresh window remains (aws-vault's ExpiryWindow and the SDK v3 memoizer use
 * 5 min; botocore's file cache 15 min, docs/reference/aws-behaviour.md §3.3, §5.1). A session without an expiry is
 * a miss, never "valid forever": swrole caches only temporary credentials (static keys are read from their
 * source each time), so such a file is foreign or damaged (issue 15).
 */
export function isFresh(session: StoredSession, nowMs: number, refreshWindowMs: number): boolean {
  const expiresAt = expiresAtMs(session);
  if (expiresAt === undefined || Number.isNaN(expiresAt)) return false;
  return expiresAt - nowMs > Math.max(refreshWindowMs, MIN_REMAINING_MS);
}
