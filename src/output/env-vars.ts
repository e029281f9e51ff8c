import type { Credentials } from '../domain/credentials.js';

/**
 * Variables that would fight the credentials we export, unset when switching:
 * - AWS_PROFILE / AWS_DEFAULT_PROFILE: a profile left in the env still picks region/config and confuses humans;
 * - AWS_SECURITY_TOKEN: boto2's name for the session token, still read by some tools — a stale one breaks signing;
 * - AWS_ACCESS_KEY / AWS_SECRET_KEY: legacy aliases read by the Java SDK v1;
 * - AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID: stale when the new credentials have none;
 * - AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME / AWS_WEB_IDENTITY_TOKEN_FILE: the env web-identity provider;
 * - SWROLE_PROFILE / SWROLE_EXPIRATION: ours, stale when absent.
 * Region variables are left alone when we have no region: the user's choice still applies.
 */
export const CONFLICTING_ENV: readonly string[] = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SECURITY_TOKEN',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'SWROLE_PROFILE',
  'SWROLE_EXPIRATION',
];

/** ISO 8601 in UTC, whole seconds, `Z` (what the SDKs and the CLI parse alike). */
export function formatExpiration(expiration: string): string {
  const ms = Date.parse(expiration);
  return Number.isNaN(ms) ? expiration : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The variables that hand `creds` to SDKs and tools (docs/reference/aws-behaviour.md §3.4 order, then ours). */
export function credentialEnv(creds: Credentials, extra: { region?: string | null; profile?: string }): Array<[string, string]> {
  const vars: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', creds.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
  ];
  if (creds.sessionToken !== undefined) vars.push(['AWS_SESSION_TOKEN', creds.sessionToken]);
  const expiration = creds.expiration === undefined ? undefined : formatExpiration(creds.expiration);
  if (expiration !== undefined) vars.push(['AWS_CREDENTIAL_EXPIRATION', expiration]);
  // SDKs read AWS_ACCOUNT_ID for account-based endpoints (botocore, SDK v3 fromEnv).
  if (creds.accountId !== undefined) vars.push(['AWS_ACCOUNT_ID', creds.accountId]);
  if (extra.region !== undefined && extra.region !== null && extra.region !== '') {
    // AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the CLI v1 / older boto.
    vars.push(['AWS_REGION', extra.region], ['AWS_DEFAULT_REGION', extra.region]);
  }
  if (extra.profile !== undefined) vars.push(['SWROLE_PROFILE', extra.profile]);
  if (expiration !== undefined) vars.push(['SWROLE_EXPIRATION', expiration]);
  return vars;
}

/** CONFLICTING_ENV minus what `vars` sets: the names to unset alongside these exports. */
export function envToUnset(vars: ReadonlyArray<readonly [string, string]>): string[] {
  const set = new Set(vars.map(([name]) => name));
  return CONFLICTING_ENV.filter((name) => !set.has(name));
}
