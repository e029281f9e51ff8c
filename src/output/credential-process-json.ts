import type { Credentials } from '../domain/credentials.js';
import { formatExpiration } from './env-vars.js';

/**
 * The `credential_process` output contract (docs/reference/aws-behaviour.md §3.1): `Version` the number 1,
 * AccessKeyId and SecretAccessKey required, SessionToken/Expiration only when present (no Expiration =
 * non-expiring for botocore and SDK v3), AccountId when known. One line, newline-terminated; stdout only.
 */
export function renderCredentialProcess(creds: Credentials): string {
  const out: Record<string, string | number> = {
    Version: 1,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken !== undefined) out.SessionToken = creds.sessionToken;
  if (creds.expiration !== undefined) out.Expiration = formatExpiration(creds.expiration);
  if (creds.accountId !== undefined) out.AccountId = creds.accountId;
  return `${JSON.stringify(out)}\n`;
}
