import { pyJsonDumps } from './py-json.js';

/**
 * One token file of ~/.aws/sso/cache, as the AWS CLI, botocore, the JS SDK, aws-vault and Granted write it
 * (docs/reference/sso-keyring-console.md A.6, docs/reference/aws-behaviour.md §5.2). Times stay as written; readers
 * parse them with parseSsoTime.
 */
export interface SsoToken {
  startUrl?: string;
  region?: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

/** A client registration (RegisterClient), cached by the CLI under the sha1 of its registration key. */
export interface SsoRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
  grantTypes?: string[];
}

const OPTIONAL_TEXT = ['startUrl', 'region', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Epoch ms of a token time, or NaN: the CLI's `…Z`, the JS SDK's `….285Z`, RFC 3339 offsets, and the
 * `…UTC` suffix of the CLI's credential cache (dateutil reads all of them; `new Date()` does not read the last).
 */
export function parseSsoTime(text: string): number {
  const trimmed = text.trim().replace(/ ?UTC$/, 'Z');
  return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed) ? Date.parse(trimmed.replace(' ', 'T')) : Number.NaN;
}

/** The CLI's `%Y-%m-%dT%H:%M:%SZ` (never the `.000Z` of toISOString, never `UTC`). */
export function formatSsoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Untyped JSON → a token (accessToken and a parseable expiresAt are what every reader needs), else undefined. */
export function parseSsoToken(text: string): SsoToken | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.accessToken !== 'string' || value.accessToken === '') return undefined;
  if (typeof value.expiresAt !== 'string' || Number.isNaN(parseSsoTime(value.expiresAt))) return undefined;
  const token: SsoToken = { accessToken: value.accessToken, expiresAt: value.expiresAt };
  for (const key of OPTIONAL_TEXT) if (typeof value[key] === 'string') token[key] = value[key];
  return token;
}

/** Exactly the CLI's field set, order and separators (one line, no newline), so `aws` and the SDKs read it as theirs. */
export function renderSsoToken(token: SsoToken): string {
  return pyJsonDumps({
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    registrationExpiresAt: token.registrationExpiresAt,
    refreshToken: token.refreshToken,
  });
}

export function parseSsoRegistration(text: string): SsoRegistration | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.clientId !== 'string' || typeof value.clientSecret !== 'string') return undefined;
  if (typeof value.expiresAt !== 'string' || Number.isNaN(parseSsoTime(value.expiresAt))) return undefined;
  const strings = (v: unknown) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined);
  const scopes = strings(value.scopes);
  const grantTypes = strings(value.grantTypes);
  return {
    clientId: value.clientId,
    clientSecret: value.clientSecret,
    expiresAt: value.expiresAt,
    ...(scopes ? { scopes } : {}),
    ...(grantTypes ? { grantTypes } : {}),
  };
}

/** The CLI's order: clientId, clientSecret, expiresAt, scopes?, grantTypes? (PKCE registrations have both). */
export function renderSsoRegistration(registration: SsoRegistration): string {
  return pyJsonDumps({
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    expiresAt: registration.expiresAt,
    scopes: registration.scopes,
    grantTypes: registration.grantTypes,
  });
}

/** `_is_registration_for_auth_code`: PKCE registrations list authorization_code; older files have no grantTypes. */
export function isAuthCodeRegistration(registration: SsoRegistration): boolean {
  return registration.grantTypes?.includes('authorization_code') === true;
}
