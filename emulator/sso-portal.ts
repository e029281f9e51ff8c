// The access portal, strictly (docs/reference/sso-keyring-console.md A.10, D.1 §2): every call needs a live access
// token in x-amz-sso_bearer_token (401 otherwise); GetRoleCredentials answers 403 ForbiddenException "No access" for
// a role that is not assigned and mints a live STS role session (AWSReservedSSO_<PS>_<hex>, so AssumeRole chaining
// and the console accept it); listings paginate for real and are rate limited per token; Logout ends the sign-in.
import { createHash } from 'node:crypto';
import { principalId, type Caller } from './identity.js';
import { issueSession, type EmulatorState } from './state.js';
import type { SsoState, AccessToken } from './sso-state.js';
import type { IdentityCenterInstance } from './sso-world.js';
import { jsonOk, renderPortalError, SsoServiceError, type SsoOutcome } from './sso-http.js';

export const PORTAL_PATHS: Record<string, string> = {
  'GET /federation/credentials': 'GetRoleCredentials',
  'GET /assignment/accounts': 'ListAccounts',
  'GET /assignment/roles': 'ListAccountRoles',
  'POST /logout': 'Logout',
};

const fail = (shape: string, status: number, message: string) => new SsoServiceError(shape, status, message);
const unauthorized = () => fail('UnauthorizedException', 401, 'Session token not found or invalid');

function bearer(state: EmulatorState, s: SsoState, header: string | undefined): [string, AccessToken] {
  const token = header ? s.accessTokens.get(header) : undefined;
  if (!token || token.revoked || token.signIn.loggedOut || state.now() >= token.expiresMs) throw unauthorized();
  return [header!, token];
}

/** `reserved role` of a permission set in an account: stable, like IAM's generated suffix. */
export function reservedRoleName(account: string, permissionSet: string): string {
  const hex = createHash('sha256').update(`${account}/${permissionSet}`).digest('hex').slice(0, 16);
  return `AWSReservedSSO_${permissionSet}_${hex}`;
}

function roleCredentials(state: EmulatorState, token: AccessToken, query: URLSearchParams, params: Record<string, string>) {
  const account = query.get('account_id') ?? '';
  const roleName = query.get('role_name') ?? '';
  Object.assign(params, { accountId: account, roleName });
  if (!/^\d{12}$/.test(account) || roleName === '') throw fail('InvalidRequestException', 400, 'Invalid request');
  const { instance, user } = token.signIn;
  const assignment = instance.users[user]?.assignments.find((a) => a.account === account && a.permissionSet === roleName);
  if (!assignment) throw fail('ForbiddenException', 403, 'No access');
  const role = reservedRoleName(account, roleName);
  const roleArn = `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${role}`;
  const caller: Caller = {
    kind: 'role',
    account,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${user}`,
    userId: `${principalId('AROA', roleArn)}:${user}`,
    principalArn: roleArn,
    mfa: null,
    tags: {},
    transitiveTagKeys: [],
  };
  const session = issueSession(state, caller, assignment.sessionSeconds ?? 3600);
  return jsonOk({
    roleCredentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secret,
      sessionToken: session.token,
      expiration: session.expiresMs,
    },
  });
}

/** The listing rate limit: N calls per token per sliding second. */
function checkRate(s: SsoState, header: string, instance: IdentityCenterInstance): void {
  const limit = instance.listRateLimit;
  if (limit === undefined) return;
  const now = Date.now();
  const recent = (s.listCalls.get(header) ?? []).filter((t) => now - t < 1000);
  if (recent.length >= limit) {
    s.listCalls.set(header, recent);
    throw fail('TooManyRequestsException', 429, 'Rate exceeded');
  }
  recent.push(now);
  s.listCalls.set(header, recent);
}

function page<T>(items: T[], query: URLSearchParams, params: Record<string, string>): { slice: T[]; nextToken?: string } {
  const raw = query.get('max_result');
  const max = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw fail('InvalidRequestException', 400, 'max_result must be 1..100');
  const token = query.get('next_token');
  if (token !== null) params.nextToken = 'yes';
  let start = 0;
  if (token !== null) {
    const decoded = /^p(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) throw fail('InvalidRequestException', 400, 'Invalid next_token');
    start = Number(decoded[1]);
  }
  const end = start + max;
  return { slice: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`p${end}`).toString('base64url') } : {}) };
}

function listAccounts(token: AccessToken, query: URLSearchParams, params: Record<string, string>) {
  const { instance, user } = token.signIn;
  const accounts = [...new Set(instance.users[user]?.assignments.map((a) => a.account) ?? [])].sort();
  const { slice, nextToken } = page(accounts, query, params);
  return jsonOk({
    ...(nextToken ? { nextToken } : {}),
    accountList: slice.map((id) => ({
      accountId: id,
      accountName: instance.accountNames?.[id] ?? `account-${id}`,
      emailAddress: `aws+${id}@example.com`,
    })),
  });
}

function listRoles(token: AccessToken, query: URLSearchParams, params: Record<string, string>) {
  const account = query.get('account_id') ?? '';
  params.accountId = account;
  if (!/^\d{12}$/.test(account)) throw fail('InvalidRequestException', 400, 'Invalid request');
  const { instance, user } = token.signIn;
  const roles = (instance.users[user]?.assignments ?? []).filter((a) => a.account === account).map((a) => a.permissionSet);
  const { slice, nextToken } = page(roles, query, params);
  return jsonOk({ ...(nextToken ? { nextToken } : {}), roleList: slice.map((roleName) => ({ roleName, accountId: account })) });
}

export function handlePortal(
  state: EmulatorState,
  s: SsoState,
  route: string,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
): SsoOutcome {
  const action = PORTAL_PATHS[route] ?? 'Unknown';
  const params: Record<string, string> = {};
  try {
    const header = headers['x-amz-sso_bearer_token'];
    const [raw, token] = bearer(state, s, typeof header === 'string' ? header : undefined);
    switch (action) {
      case 'GetRoleCredentials':
        return { action, params, ...roleCredentials(state, token, query, params) };
      case 'ListAccounts':
        checkRate(s, raw, token.signIn.instance);
        return { action, params, ...listAccounts(token, query, params) };
      case 'ListAccountRoles':
        checkRate(s, raw, token.signIn.instance);
        return { action, params, ...listRoles(token, query, params) };
      default:
        // Logout ends the sign-in: its access tokens and its refresh chain.
        token.signIn.loggedOut = true;
        return { action, params, ...jsonOk(undefined) };
    }
  } catch (error) {
    if (!(error instanceof SsoServiceError)) throw error;
    return { action, params, ...renderPortalError(error) };
  }
}
