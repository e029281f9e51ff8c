// The IAM Identity Center part of the world (docs/reference/sso-keyring-console.md D.1 §4): instances by start URL,
// their users and assignments, and how sign-in behaves. Validated once, at load, with errors naming the path.
import { isObject, WorldError } from './world.js';

export interface SsoAssignment {
  account: string;
  /** The permission set: the role name ListAccountRoles shows and GetRoleCredentials takes. */
  permissionSet: string;
  /** Role credentials' lifetime (the permission set's session duration), default 3600. */
  sessionSeconds?: number;
}

export interface SsoUser {
  assignments: SsoAssignment[];
}

export interface IdentityCenterInstance {
  startUrl: string;
  region: string;
  /** How long a sign-in lasts: refresh tokens stop working after it (default 8 h). */
  sessionSeconds?: number;
  /** Access tokens of refreshable (scoped) clients (default 3600). */
  accessTokenSeconds?: number;
  /** Access tokens of clients registered without scopes: not refreshable (default 8 h). */
  legacyTokenSeconds?: number;
  /** Client registrations (default 90 days). */
  clientSecretSeconds?: number;
  /** Scopes RegisterClient accepts (default ["sso:account:access"]). */
  allowedScopes?: string[];
  /** `auto`: a device code is approved after its first poll, /authorize redirects at once; `manual`: the control approves. */
  approval?: 'auto' | 'manual' | 'deny';
  /** Device flow polling interval (default 1 s). */
  deviceInterval?: number;
  /** A used refresh token stays valid this long (default 0: rotation is strict). */
  refreshGraceSeconds?: number;
  /** ListAccounts/ListAccountRoles per access token per second (sliding second); more get 429. Unset: no limit. */
  listRateLimit?: number;
  /** Who signs in on auto approval (default: the first user). */
  defaultUser?: string;
  accountNames?: Record<string, string>;
  users: Record<string, SsoUser>;
}

export interface IdentityCenter {
  instances: IdentityCenterInstance[];
}

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

export function parseIdentityCenter(value: unknown): IdentityCenter | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Array.isArray(value.instances)) throw new WorldError('identityCenter', 'must be {instances: [...]}');
  value.instances.forEach((instance: unknown, i) => {
    const at = `identityCenter.instances[${i}]`;
    if (!isObject(instance)) throw new WorldError(at, 'must be an object');
    if (typeof instance.startUrl !== 'string' || !/^https:\/\/\S+$/.test(instance.startUrl))
      throw new WorldError(`${at}.startUrl`, 'must be an https URL');
    if (typeof instance.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(instance.region))
      throw new WorldError(`${at}.region`, 'must be a region like us-east-1');
    for (const key of [
      'sessionSeconds',
      'accessTokenSeconds',
      'legacyTokenSeconds',
      'clientSecretSeconds',
      'deviceInterval',
      'listRateLimit',
    ])
      if (instance[key] !== undefined && !positive(instance[key])) throw new WorldError(`${at}.${key}`, 'must be a positive number');
    if (instance.approval !== undefined && !['auto', 'manual', 'deny'].includes(String(instance.approval)))
      throw new WorldError(`${at}.approval`, 'must be auto, manual or deny');
    if (!isObject(instance.users) || Object.keys(instance.users).length === 0)
      throw new WorldError(`${at}.users`, 'must name at least one user');
    for (const [name, user] of Object.entries(instance.users)) {
      if (!isObject(user) || !Array.isArray(user.assignments)) throw new WorldError(`${at}.users.${name}`, 'must be {assignments: [...]}');
      user.assignments.forEach((a: unknown, j) => {
        const where = `${at}.users.${name}.assignments[${j}]`;
        if (!isObject(a) || typeof a.account !== 'string' || !/^\d{12}$/.test(a.account))
          throw new WorldError(where, 'must be {account: 12 digits, permissionSet}');
        if (typeof a.permissionSet !== 'string' || !/^[\w+=,.@-]{1,32}$/.test(a.permissionSet))
          throw new WorldError(`${where}.permissionSet`, 'must be a permission set name');
        if (a.sessionSeconds !== undefined && (!positive(a.sessionSeconds) || (a.sessionSeconds as number) > 43200))
          throw new WorldError(`${where}.sessionSeconds`, 'must be 1..43200');
      });
    }
    if (instance.defaultUser !== undefined && !Object.hasOwn(instance.users, String(instance.defaultUser)))
      throw new WorldError(`${at}.defaultUser`, 'must be one of the users');
  });
  return value as unknown as IdentityCenter;
}
