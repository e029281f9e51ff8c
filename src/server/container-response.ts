import type { Credentials } from '../domain/credentials.js';

/** ISO 8601 in UTC without milliseconds: the SDK for JS v3 parses `Expiration` strictly as RFC 3339. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The container-credentials answer (docs/reference/aws-behaviour.md §4, sso-keyring-console.md C.2): botocore and
 * the SDK for JS v3 both require AccessKeyId, SecretAccessKey, Token and Expiration as strings; AccountId is
 * optional and used for account-based endpoints. `expiresAtMs` is the expiry the server works with (an expiry of
 * its own for credentials that carry none).
 */
export function renderContainerCredentials(credentials: Credentials, expiresAtMs: number): string {
  return JSON.stringify({
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken ?? '',
    Expiration: rfc3339(expiresAtMs),
    ...(credentials.accountId !== undefined ? { AccountId: credentials.accountId } : {}),
  });
}

/** An error body as ECS answers them: `{"Code","Message"}` (botocore shows the body in its error). */
export function renderContainerError(code: string, message: string): string {
  return JSON.stringify({ Code: code, Message: message });
}
