// The IAM calls key rotation needs (docs/reference/sso-keyring-console.md B.4, D.1 §3): GetUser, ListAccessKeys,
// CreateAccessKey, UpdateAccessKey, DeleteAccessKey, with IAM's quota (2 keys per user), its errors and messages, and
// a propagation delay for new keys (iam.propagationSeconds of the world; a new key is unknown until then).
import { randomBytes } from 'node:crypto';
import { BASE32_ALPHABET } from './totp.js';
import { principalId, userArn, type Caller } from './identity.js';
import type { EmulatorState } from './state.js';
import { StsError, validation } from './sts-error.js';
import { ParamValidator, type Params } from './validate-params.js';
import type { XmlNode } from './render-xml.js';
import type { AccessKey, User } from './world.js';

const USER_NAME_PATTERN = { re: /^[\w+=,.@-]+$/, text: '[\\w+=,.@-]+' };
const KEY_ID_PATTERN = { re: /^[\w]+$/, text: '[\\w]+' };

/** IAM's own answers (IAM API reference, "Errors"; the quota text as AWS prints it: flexera policy_templates#121). */
export const IAM_MSG = {
  quota: 'Cannot exceed quota for AccessKeysPerUser: 2',
  noUser: (name: string) => `The user with name ${name} cannot be found.`,
  noKey: (id: string) => `The Access Key with id ${id} cannot be found.`,
  nonUser: 'Must specify userName when calling with non-User credentials',
} as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Target {
  account: string;
  name: string;
  user: User;
}

/** The user a call is about: UserName in the caller's account, else the caller's own user. */
function targetUser(state: EmulatorState, caller: Caller, name: string | undefined): Target {
  const users = state.world.accounts[caller.account]?.users ?? {};
  const wanted = name ?? caller.userName;
  if (wanted === undefined) throw validation(IAM_MSG.nonUser);
  const user = Object.hasOwn(users, wanted) ? users[wanted] : undefined;
  if (user === undefined) throw new StsError('NoSuchEntity', 404, IAM_MSG.noUser(wanted));
  return { account: caller.account, name: wanted, user };
}

function keyMetadata(state: EmulatorState, t: Target, key: AccessKey): Record<string, XmlNode> {
  // A key of the world file shows when the emulator first listed it, unless the world gave a date.
  key.createDate ??= iso(state.now());
  return { UserName: t.name, AccessKeyId: key.id, Status: key.status ?? 'Active', CreateDate: key.createDate };
}

function newAccessKey(state: EmulatorState): AccessKey {
  let id = 'AKIA';
  for (const byte of randomBytes(16)) id += BASE32_ALPHABET[byte % 32];
  const propagation = state.world.iam?.propagationSeconds ?? 0;
  return {
    id,
    // 40 characters of the base64 alphabet, like IAM's secrets.
    secret: randomBytes(30).toString('base64'),
    status: 'Active',
    createDate: iso(state.now()),
    usableFromMs: state.now() + propagation * 1000,
  };
}

function findKey(t: Target, id: string): AccessKey {
  const key = t.user.accessKeys.find((k) => k.id === id);
  if (key === undefined) throw new StsError('NoSuchEntity', 404, IAM_MSG.noKey(id));
  return key;
}

export function getUser(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const name = v.string('UserName', { min: 1, max: 128, pattern: USER_NAME_PATTERN });
  v.throwIfAny();
  const t = targetUser(state, caller, name);
  const arn = userArn(t.account, t.user.path, t.name);
  return {
    User: { Path: t.user.path ?? '/', UserName: t.name, UserId: principalId('AIDA', arn), Arn: arn, CreateDate: iso(0) },
  };
}

export function listAccessKeys(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const name = v.string('UserName', { min: 1, max: 64, pattern: USER_NAME_PATTERN });
  v.throwIfAny();
  const t = targetUser(state, caller, name);
  return { AccessKeyMetadata: { member: t.user.accessKeys.map((k) => keyMetadata(state, t, k)) }, IsTruncated: 'false' };
}

export function createAccessKey(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const name = v.string('UserName', { min: 1, max: 64, pattern: USER_NAME_PATTERN });
  v.throwIfAny();
  const t = targetUser(state, caller, name);
  if (t.user.accessKeys.length >= 2) throw new StsError('LimitExceeded', 409, IAM_MSG.quota);
  const key = newAccessKey(state);
  t.user.accessKeys.push(key);
  return { AccessKey: { ...keyMetadata(state, t, key), SecretAccessKey: key.secret } };
}

export function updateAccessKey(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const name = v.string('UserName', { min: 1, max: 64, pattern: USER_NAME_PATTERN });
  const id = v.string('AccessKeyId', { required: true, min: 16, max: 128, pattern: KEY_ID_PATTERN });
  const status = v.string('Status', { required: true });
  if (status !== undefined)
    v.check(status === 'Active' || status === 'Inactive', 'status', status, 'satisfy enum value set: [Active, Inactive]');
  v.throwIfAny();
  findKey(targetUser(state, caller, name), id!).status = status as 'Active' | 'Inactive';
  return {};
}

export function deleteAccessKey(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const name = v.string('UserName', { min: 1, max: 64, pattern: USER_NAME_PATTERN });
  const id = v.string('AccessKeyId', { required: true, min: 16, max: 128, pattern: KEY_ID_PATTERN });
  v.throwIfAny();
  const t = targetUser(state, caller, name);
  const key = findKey(t, id!);
  // Deleted at once: the key is refused from the next call on (sessions it made live on until they expire).
  t.user.accessKeys.splice(t.user.accessKeys.indexOf(key), 1);
  return {};
}
