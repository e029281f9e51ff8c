// The emulator's world: accounts, users, roles, MFA devices, web identity tokens. One JSON format for
// startEmulator({ world }) and `emulator/main.ts --world FILE`, validated once here, at the edge.
import { readFileSync } from 'node:fs';
import { parseIdentityCenter, type IdentityCenter } from './sso-world.js';

export interface AccessKey {
  id: string;
  secret: string;
  /** IAM's key status (default Active); an Inactive key is refused like an unknown one. */
  status?: 'Active' | 'Inactive';
  /** ISO date shown by ListAccessKeys (default: when the emulator started). */
  createDate?: string;
  /**
   * Set by CreateAccessKey: emulator time (ms) from which the new key is accepted. Before it the key answers
   * InvalidClientTokenId, as a new IAM key does while it propagates (iam.propagationSeconds).
   */
  usableFromMs?: number;
}
export interface MfaDevice {
  serial: string;
  totpSecret: string;
}
export interface User {
  path?: string;
  accessKeys: AccessKey[];
  mfa?: MfaDevice[];
  tags?: Record<string, string>;
  /**
   * The user's identity policy (Action/Resource statements, wildcards; Condition over the MFA context keys). Absent: the user may
   * do anything. The emulator consults it where STS checks the caller's own permissions: GetFederationToken
   * (`sts:GetFederationToken`, and `sts:TagSession` when tags are passed, on the federated-user ARN).
   */
  policy?: IdentityPolicy;
  /**
   * Shorthand for the common "no IAM without MFA" guard in `policy` (identity-policy.ts DENY_IAM_WITHOUT_MFA: a
   * Deny of iam:* with `BoolIfExists aws:MultiFactorAuthPresent false`): IAM calls signed by the user's long-term
   * keys are refused; an MFA GetSessionToken session may call IAM.
   */
  iamRequiresMfa?: boolean;
}
export interface IdentityPolicy {
  Version?: string;
  Statement: IdentityStatement[] | IdentityStatement;
}
export interface IdentityStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}
export interface TrustPolicy {
  Version?: string;
  Statement: PolicyStatement[] | PolicyStatement;
}
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: string | string[]; Federated?: string | string[]; Service?: string | string[] };
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}
export interface Role {
  path?: string;
  maxSessionDuration?: number;
  trustPolicy: TrustPolicy;
  tags?: Record<string, string>;
}
export interface Account {
  users?: Record<string, User>;
  roles?: Record<string, Role>;
  root?: { accessKeys: AccessKey[] };
}
/** A web identity token the emulator accepts in AssumeRoleWithWebIdentity; `provider` is the issuer host/URL. */
export interface WebIdentityToken {
  subject: string;
  provider: string;
  audience: string;
  expiresAt?: string;
}
/** IAM behaviour (the access-key calls rotation needs: emulator/iam-access-keys.ts). */
export interface IamSettings {
  /** A key made by CreateAccessKey answers InvalidClientTokenId for this long (emulator clock); default 0. */
  propagationSeconds?: number;
}
export interface World {
  accounts: Record<string, Account>;
  roleChainingLimitSeconds?: number;
  webIdentityTokens?: Record<string, WebIdentityToken>;
  iam?: IamSettings;
  /** IAM Identity Center instances (sso-world.ts). */
  identityCenter?: IdentityCenter;
}

export class WorldError extends Error {
  constructor(where: string, message: string) {
    super(`world ${where}: ${message}`);
    this.name = 'WorldError';
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function expectString(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw new WorldError(where, 'must be a non-empty string');
  return v;
}

function checkKeys(keys: unknown, where: string, prefix: string, seen: Set<string>): void {
  if (!Array.isArray(keys) || keys.length === 0) throw new WorldError(where, 'must be a non-empty array of {id, secret}');
  keys.forEach((k, i) => {
    if (!isObject(k)) throw new WorldError(`${where}[${i}]`, 'must be an object {id, secret}');
    const id = expectString(k.id, `${where}[${i}].id`);
    expectString(k.secret, `${where}[${i}].secret`);
    if (!id.startsWith(prefix) || !/^[A-Z0-9]{16,128}$/.test(id))
      throw new WorldError(`${where}[${i}].id`, `"${id}" must look like ${prefix}… (upper-case letters and digits, 16+ chars)`);
    if (seen.has(id)) throw new WorldError(`${where}[${i}].id`, `"${id}" is used twice`);
    seen.add(id);
    if (k.status !== undefined && k.status !== 'Active' && k.status !== 'Inactive')
      throw new WorldError(`${where}[${i}].status`, 'must be "Active" or "Inactive"');
    if (k.createDate !== undefined && Number.isNaN(Date.parse(String(k.createDate))))
      throw new WorldError(`${where}[${i}].createDate`, 'must be an ISO-8601 date');
  });
}

function checkPolicy(p: unknown, where: string): void {
  if (!isObject(p)) throw new WorldError(where, 'must be an object with Statement');
  const statements = Array.isArray(p.Statement) ? p.Statement : [p.Statement];
  statements.forEach((s, i) => {
    if (!isObject(s)) throw new WorldError(`${where}.Statement[${i}]`, 'must be an object');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new WorldError(`${where}.Statement[${i}].Effect`, 'must be "Allow" or "Deny"');
    if (s.Principal !== '*' && !isObject(s.Principal))
      throw new WorldError(`${where}.Statement[${i}].Principal`, 'must be "*" or an object');
    if (s.Condition !== undefined && !isObject(s.Condition))
      throw new WorldError(`${where}.Statement[${i}].Condition`, 'must be an object');
  });
}

function checkIdentityPolicy(p: unknown, where: string): void {
  if (!isObject(p)) throw new WorldError(where, 'must be an object with Statement');
  const statements = Array.isArray(p.Statement) ? p.Statement : [p.Statement];
  statements.forEach((s, i) => {
    if (!isObject(s)) throw new WorldError(`${where}.Statement[${i}]`, 'must be an object');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new WorldError(`${where}.Statement[${i}].Effect`, 'must be "Allow" or "Deny"');
    if (typeof s.Action !== 'string' && !Array.isArray(s.Action))
      throw new WorldError(`${where}.Statement[${i}].Action`, 'must be a string or a list of strings');
    if (s.Principal !== undefined) throw new WorldError(`${where}.Statement[${i}].Principal`, 'an identity policy has no Principal');
    if (s.Condition !== undefined && !isObject(s.Condition))
      throw new WorldError(`${where}.Statement[${i}].Condition`, 'must be an object');
  });
}

/** Validate untyped JSON as a World, with errors naming the offending path. */
export function parseWorld(value: unknown): World {
  if (!isObject(value) || !isObject(value.accounts)) throw new WorldError('', 'must be an object with "accounts"');
  const seenKeys = new Set<string>();
  const serials = new Set<string>();
  for (const [acct, account] of Object.entries(value.accounts)) {
    const at = `accounts.${acct}`;
    if (!/^\d{12}$/.test(acct)) throw new WorldError(at, 'account ids are 12 digits');
    if (!isObject(account)) throw new WorldError(at, 'must be an object');
    if (account.root !== undefined) {
      if (!isObject(account.root)) throw new WorldError(`${at}.root`, 'must be an object {accessKeys}');
      checkKeys(account.root.accessKeys, `${at}.root.accessKeys`, 'AKIA', seenKeys);
    }
    for (const [name, user] of Object.entries(isObject(account.users) ? account.users : {})) {
      const u = `${at}.users.${name}`;
      if (!isObject(user)) throw new WorldError(u, 'must be an object');
      checkKeys(user.accessKeys, `${u}.accessKeys`, 'AKIA', seenKeys);
      if (user.path !== undefined && (typeof user.path !== 'string' || !/^\/([\w+=,.@-]+\/)*$/.test(user.path)))
        throw new WorldError(`${u}.path`, 'must look like /division/ (start and end with /)');
      (Array.isArray(user.mfa) ? user.mfa : []).forEach((d: unknown, i) => {
        if (!isObject(d)) throw new WorldError(`${u}.mfa[${i}]`, 'must be {serial, totpSecret}');
        const serial = expectString(d.serial, `${u}.mfa[${i}].serial`);
        const secret = expectString(d.totpSecret, `${u}.mfa[${i}].totpSecret`);
        if (!/^[A-Z2-7]+=*$/i.test(secret)) throw new WorldError(`${u}.mfa[${i}].totpSecret`, 'must be base32 (A-Z, 2-7)');
        if (serials.has(serial)) throw new WorldError(`${u}.mfa[${i}].serial`, `"${serial}" is used twice`);
        serials.add(serial);
      });
      if (user.mfa !== undefined && !Array.isArray(user.mfa)) throw new WorldError(`${u}.mfa`, 'must be an array');
      if (user.policy !== undefined) checkIdentityPolicy(user.policy, `${u}.policy`);
      if (user.iamRequiresMfa !== undefined && typeof user.iamRequiresMfa !== 'boolean')
        throw new WorldError(`${u}.iamRequiresMfa`, 'must be true or false');
      // IAM's quota: AccessKeysPerUser is 2.
      if (Array.isArray(user.accessKeys) && user.accessKeys.length > 2)
        throw new WorldError(`${u}.accessKeys`, 'an IAM user has at most 2 access keys');
    }
    if (account.users !== undefined && !isObject(account.users)) throw new WorldError(`${at}.users`, 'must be an object');
    if (account.roles !== undefined && !isObject(account.roles)) throw new WorldError(`${at}.roles`, 'must be an object');
    for (const [name, role] of Object.entries(isObject(account.roles) ? account.roles : {})) {
      const r = `${at}.roles.${name}`;
      if (!isObject(role)) throw new WorldError(r, 'must be an object');
      const max = role.maxSessionDuration;
      if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200))
        throw new WorldError(`${r}.maxSessionDuration`, 'must be an integer 3600..43200 (IAM MaxSessionDuration)');
      checkPolicy(role.trustPolicy, `${r}.trustPolicy`);
    }
  }
  const limit = value.roleChainingLimitSeconds;
  if (limit !== undefined && (typeof limit !== 'number' || limit < 900))
    throw new WorldError('roleChainingLimitSeconds', 'must be a number ≥ 900');
  if (value.webIdentityTokens !== undefined) {
    if (!isObject(value.webIdentityTokens))
      throw new WorldError('webIdentityTokens', 'must be an object token → {subject, provider, audience}');
    for (const [token, t] of Object.entries(value.webIdentityTokens)) {
      const w = `webIdentityTokens.${token.slice(0, 8)}…`;
      if (token.length < 4) throw new WorldError(w, 'tokens are at least 4 characters');
      if (!isObject(t)) throw new WorldError(w, 'must be an object');
      expectString(t.subject, `${w}.subject`);
      expectString(t.provider, `${w}.provider`);
      expectString(t.audience, `${w}.audience`);
      if (t.expiresAt !== undefined && Number.isNaN(Date.parse(String(t.expiresAt))))
        throw new WorldError(`${w}.expiresAt`, 'must be an ISO-8601 date');
    }
  }
  if (value.iam !== undefined) {
    if (!isObject(value.iam)) throw new WorldError('iam', 'must be an object {propagationSeconds}');
    const seconds = value.iam.propagationSeconds;
    if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0))
      throw new WorldError('iam.propagationSeconds', 'must be a number ≥ 0');
  }
  parseIdentityCenter(value.identityCenter);
  return value as unknown as World;
}

/** Read and validate a world file; errors name the file. */
export function loadWorldFile(path: string): World {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new WorldError(path, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WorldError(path, `is not valid JSON (${(cause as Error).message})`);
  }
  try {
    return parseWorld(json);
  } catch (e) {
    if (e instanceof WorldError) throw new WorldError(path, e.message.replace(/^world /, ''));
    throw e;
  }
}
