import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pyJsonDumps } from './py-json.js';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/** ~/.aws/sso/cache: the AWS CLI's and the SDKs' token cache (they read it at the home directory). */
export function ssoCacheDir(homedir: string): string {
  return join(homedir, '.aws', 'sso', 'cache');
}

/**
 * `SSOTokenLoader._generate_cache_key`: sha1 of the sso-session name, or of the start URL verbatim (a trailing `/`
 * is another file) for a legacy profile (docs/reference/sso-keyring-console.md A.6).
 */
export function tokenCacheKey(sessionName: string | null, startUrl: string): string {
  return sha1(sessionName ?? startUrl);
}

/**
 * `BaseSSOTokenFetcher._registration_cache_key`: sha1 of Python's sorted `json.dumps` of tool, start URL, region, the
 * *configured* scopes (null when the session has no sso_registration_scopes) and the session name. Device and PKCE
 * registrations share it.
 */
export function registrationCacheKey(
  startUrl: string,
  region: string,
  scopes: readonly string[] | null,
  sessionName: string | null,
): string {
  return sha1(pyJsonDumps({ tool: 'botocore', startUrl, region, scopes, session_name: sessionName }, true));
}

/**
 * `SSOCredentialFetcher._create_cache_key`: the CLI's role-credential cache entry (~/.aws/cli/cache), minified
 * sorted JSON; swrole only removes these (logout), as `aws sso logout` does.
 */
export function cliRoleCacheKey(accountId: string, roleName: string, sessionName: string | null, startUrl: string): string {
  const args = sessionName !== null ? { accountId, roleName, sessionName } : { accountId, roleName, startUrl };
  const keys = Object.keys(args).sort() as Array<keyof typeof args>;
  return sha1(`{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(args[k])}`).join(',')}}`);
}
