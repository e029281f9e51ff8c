// An IAM Identity Center world for tests (issue 11): one instance, a user with assignments in two accounts, a role
// in a third account that trusts the first (chaining from SSO credentials), the config that uses them, and helpers
// to seed the token cache as an earlier `aws sso login` would have.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { World } from '../../emulator/world.js';
import { formatSsoTime } from '../../src/sso/sso-token-file.js';
import { renderSsoToken, type SsoToken } from '../../src/sso/sso-token-file.js';
import { tokenCacheKey } from '../../src/sso/sso-cache-names.js';

export const START_URL = 'https://d-1234567890.awsapps.com/start';
export const SSO_REGION = 'us-east-1';
export const SESSION = 'corp';
export const SSO_USER = 'alice';
export const DEV_ACCOUNT = '111111111111';
export const PROD_ACCOUNT = '222222222222';
export const APP_ACCOUNT = '444444444444';
export const APP_ROLE_ARN = `arn:aws:iam::${APP_ACCOUNT}:role/App`;
/** sha1("corp") and sha1(START_URL) (docs/reference/sso-keyring-console.md A.6 vectors). */
export const SESSION_TOKEN_FILE = 'ee0bfd2552fbd840c02cc48b6e823320543c450f.json';
export const LEGACY_TOKEN_FILE = '7487b5b67d5fa1132cf33fa93ae51ef38cc37752.json';
export const REGISTRATION_FILE = 'bc8a1afdb0f5cdc2c789b8a6cd51898e2be3c37c.json';

export interface SsoWorldOptions {
  approval?: 'auto' | 'manual' | 'deny';
  listRateLimit?: number;
  /** Extra accounts with one ReadOnly assignment each (listing at scale). */
  extraAccounts?: number;
}

export function ssoWorld(options: SsoWorldOptions = {}): World {
  const assignments = [
    { account: DEV_ACCOUNT, permissionSet: 'Admin' },
    { account: DEV_ACCOUNT, permissionSet: 'ReadOnly' },
    { account: PROD_ACCOUNT, permissionSet: 'ReadOnly', sessionSeconds: 7200 },
  ];
  const accountNames: Record<string, string> = { [DEV_ACCOUNT]: 'dev', [PROD_ACCOUNT]: 'prod' };
  for (let i = 0; i < (options.extraAccounts ?? 0); i++) {
    const account = String(500000000000 + i);
    assignments.push({ account, permissionSet: 'ReadOnly' });
    if (i % 3 === 0) assignments.push({ account, permissionSet: 'Admin' });
    accountNames[account] = `team ${i}`;
  }
  return {
    accounts: {
      [APP_ACCOUNT]: {
        roles: {
          App: {
            maxSessionDuration: 43200,
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
            },
          },
        },
      },
    },
    identityCenter: {
      instances: [
        {
          startUrl: START_URL,
          region: SSO_REGION,
          approval: options.approval ?? 'auto',
          ...(options.listRateLimit ? { listRateLimit: options.listRateLimit } : {}),
          accountNames,
          users: { [SSO_USER]: { assignments }, bob: { assignments: [{ account: PROD_ACCOUNT, permissionSet: 'ReadOnly' }] } },
        },
      ],
    },
  };
}

export function ssoConfig(): string {
  return `[sso-session ${SESSION}]
sso_start_url = ${START_URL}
sso_region = ${SSO_REGION}
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = ${SESSION}
sso_account_id = ${DEV_ACCOUNT}
sso_role_name = Admin
region = eu-west-1

[profile dev-ro]
sso_session = ${SESSION}
sso_account_id = ${DEV_ACCOUNT}
sso_role_name = ReadOnly
region = eu-west-1

[profile not-mine]
sso_session = ${SESSION}
sso_account_id = ${PROD_ACCOUNT}
sso_role_name = Admin
region = eu-west-1

[profile legacy]
sso_start_url = ${START_URL}
sso_region = ${SSO_REGION}
sso_account_id = ${PROD_ACCOUNT}
sso_role_name = ReadOnly
region = eu-west-1

[profile app]
role_arn = ${APP_ROLE_ARN}
source_profile = dev
region = eu-west-1

[profile app-long]
role_arn = ${APP_ROLE_ARN}
source_profile = dev
duration_seconds = 7200
region = eu-west-1
`;
}

/** What `POST /__emulator/sso/issue` answers: a sign-in made earlier. */
export interface IssuedSignIn {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  clientId: string;
  clientSecret: string;
  clientSecretExpiresAt: number;
}

export async function control(url: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return response.json();
}

export async function issueSignIn(url: string, options: { scopes?: string[]; user?: string } = {}): Promise<IssuedSignIn> {
  return (await control(url, 'sso/issue', { startUrl: START_URL, ...options })) as IssuedSignIn;
}

export function ssoCacheDir(home: string): string {
  return join(home, '.aws', 'sso', 'cache');
}

/** The fields of an sso-session token file as the AWS CLI writes it, in its order (reference A). */
export const CLI_TOKEN_FIELDS = [
  'startUrl',
  'region',
  'accessToken',
  'expiresAt',
  'clientId',
  'clientSecret',
  'registrationExpiresAt',
  'refreshToken',
];

/** Writes the token file of a session (or of the legacy start URL when `session` is null), as `aws sso login` does. */
export function writeTokenFile(
  home: string,
  signIn: IssuedSignIn,
  options: { session?: string | null; expiresInMs?: number; registrationExpiresAt?: string; text?: string } = {},
): string {
  const dir = ssoCacheDir(home);
  mkdirSync(dir, { recursive: true });
  const session = options.session === undefined ? SESSION : options.session;
  const token: SsoToken = {
    startUrl: START_URL,
    region: SSO_REGION,
    accessToken: signIn.accessToken,
    expiresAt: formatSsoTime(Date.now() + (options.expiresInMs ?? signIn.expiresIn * 1000)),
    ...(session !== null
      ? {
          clientId: signIn.clientId,
          clientSecret: signIn.clientSecret,
          registrationExpiresAt: options.registrationExpiresAt ?? formatSsoTime(signIn.clientSecretExpiresAt * 1000),
          ...(signIn.refreshToken ? { refreshToken: signIn.refreshToken } : {}),
        }
      : {}),
  };
  const file = join(dir, `${tokenCacheKey(session, START_URL)}.json`);
  writeFileSync(file, options.text ?? renderSsoToken(token), { mode: 0o600 });
  return file;
}

/** swrole's env for the SSO world: the emulator for STS, SSO and SSO-OIDC. */
export function ssoEnv(base: Record<string, string>, url: string): Record<string, string> {
  return { ...base, AWS_ENDPOINT_URL_SSO: url, AWS_ENDPOINT_URL_SSO_OIDC: url, SWROLE_NO_PROMPT: '1' };
}
