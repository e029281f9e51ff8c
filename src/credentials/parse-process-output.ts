import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';

/**
 * credential_process stdout (docs/reference/aws-behaviour.md §3.1): `Version` must be the number 1, AccessKeyId and
 * SecretAccessKey required, SessionToken/Expiration/AccountId optional. Messages follow botocore's.
 */
export function parseProcessOutput(stdout: string, profile: string, nowMs: number): Credentials {
  const fail = (message: string) =>
    new SwroleError('E_PROCESS_OUTPUT', `profile "${profile}": credential_process ${message}`, {
      hint: 'the command must print {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …} on stdout',
    });
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw fail('returned invalid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw fail('returned invalid JSON');
  const record = data as Record<string, unknown>;
  if (record.Version !== 1) {
    const got = 'Version' in record ? String(record.Version) : '<Version key not provided>';
    throw fail(`returned an unsupported version '${got}', supported versions: 1`);
  }
  for (const key of ['AccessKeyId', 'SecretAccessKey'] as const) {
    if (typeof record[key] !== 'string' || record[key] === '') throw fail(`output is missing required key '${key}'`);
  }
  const credentials: Credentials = {
    accessKeyId: record.AccessKeyId as string,
    secretAccessKey: record.SecretAccessKey as string,
  };
  if (typeof record.SessionToken === 'string' && record.SessionToken !== '') credentials.sessionToken = record.SessionToken;
  if (typeof record.AccountId === 'string' && record.AccountId !== '') credentials.accountId = record.AccountId;
  if (typeof record.Expiration === 'string' && record.Expiration !== '') {
    const ms = Date.parse(record.Expiration.replace(/UTC$/, 'Z'));
    if (Number.isNaN(ms)) throw fail(`returned an unreadable Expiration '${record.Expiration}'`);
    if (ms <= nowMs) throw fail('returned expired credentials');
    credentials.expiration = new Date(ms).toISOString();
  }
  return credentials;
}
