import { CONFLICTING_ENV } from '../output/env-vars.js';

/**
 * What a client of the server must not have, because the SDKs would use it before the container endpoint or in
 * its place (docs/reference/sso-keyring-console.md C.2, aws-behaviour.md §2.2 and §4):
 * - every key variable (the environment provider comes first everywhere);
 * - AWS_PROFILE / AWS_DEFAULT_PROFILE: a selected profile is resolved before `container-role`;
 * - the web-identity variables (botocore's `assume-role-with-web-identity` comes first);
 * - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (wins over FULL_URI) and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (wins
 *   over the token), which a parent running in ECS or EKS has;
 * - AWS_CREDENTIAL_FILE (botocore's `ec2-credentials-file` provider comes before `container-role`) and
 *   AWS_SDK_LOAD_CONFIG, both unset by aws-vault for the same reason;
 * - and what `swrole env` unsets anyway (legacy key names, stale expiry, SWROLE_*).
 */
export const SERVER_CONFLICTING_ENV: readonly string[] = [
  ...new Set([
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    ...CONFLICTING_ENV,
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'AWS_CREDENTIAL_FILE',
    'AWS_SDK_LOAD_CONFIG',
  ]),
];

/** The variables that point a client at the server; the token is what the client sends as `Authorization`. */
export function containerEnv(server: { url: string; token: string }): Array<[string, string]> {
  return [
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', server.url],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN', server.token],
  ];
}

/** SERVER_CONFLICTING_ENV minus what `vars` sets: the names to unset alongside these variables. */
export function serverEnvToUnset(vars: ReadonlyArray<readonly [string, string]>): string[] {
  const set = new Set(vars.map(([name]) => name));
  return SERVER_CONFLICTING_ENV.filter((name) => !set.has(name));
}
