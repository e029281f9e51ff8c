// Who is calling: long-term keys resolved from the world, or a session the emulator issued.
import { createHash, randomBytes } from 'node:crypto';
import { BASE32_ALPHABET } from './totp.js';
import type { AccessKey, IdentityPolicy, World } from './world.js';

export interface MfaContext {
  authTimeMs: number;
  serial: string;
}

export interface Caller {
  /** `federated`: a GetFederationToken session (arn:aws:sts::ACCT:federated-user/NAME). */
  kind: 'user' | 'root' | 'role' | 'session-token' | 'web-identity' | 'federated';
  account: string;
  /** GetCallerIdentity Arn. */
  arn: string;
  userId: string;
  /** The IAM principal ARN a trust policy names: the user ARN, or the role ARN for role sessions. */
  principalArn: string;
  /** IAM user name behind the call (users and their GetSessionToken sessions). */
  userName?: string;
  /** A GetFederationToken session: the ARN of the IAM user (or root) whose keys asked for it. */
  parentArn?: string;
  mfa: MfaContext | null;
  sourceIdentity?: string;
  /** aws:PrincipalTag/* values. */
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  /** The IAM user's identity policy (undefined: unrestricted), carried into its sessions. */
  identityPolicy?: IdentityPolicy;
  /** Session policies the session was issued with (AssumeRole*, GetFederationToken). */
  sessionPolicy?: { policy?: string; policyArns: string[] };
  /** A role session whose AssumeRole caller held temporary credentials (a chain, a GetSessionToken session). */
  assumedWithTemporaryCredentials?: boolean;
}

export interface Session {
  accessKeyId: string;
  secret: string;
  token: string;
  expiresMs: number;
  caller: Caller;
}

/** Stable fake unique ids (AIDA…/AROA…) derived from the ARN, as IAM ids are stable per principal. */
export function principalId(prefix: 'AIDA' | 'AROA', arn: string): string {
  return base32Id(prefix, createHash('sha256').update(arn).digest(), 17);
}

/** `prefix` then one base32 character per byte (byte % 32) of the first `length` bytes. */
function base32Id(prefix: string, bytes: Uint8Array, length: number): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += BASE32_ALPHABET[bytes[i]! % 32];
  return id;
}

export const userArn = (account: string, path: string | undefined, name: string) => `arn:aws:iam::${account}:user${path ?? '/'}${name}`;
export const roleArn = (account: string, path: string | undefined, name: string) => `arn:aws:iam::${account}:role${path ?? '/'}${name}`;

/** A key IAM accepts now: active, and past its propagation delay (a new key is unknown for a while). */
const usable = (key: AccessKey, nowMs: number) => key.status !== 'Inactive' && (key.usableFromMs ?? 0) <= nowMs;

/** The long-term key `id` as a caller, or null if the world has no such key (or it is inactive or still propagating). */
export function findLongTermKey(world: World, id: string, nowMs: number): { secret: string; caller: Caller } | null {
  for (const [account, acct] of Object.entries(world.accounts)) {
    const rootKey = acct.root?.accessKeys.find((k) => k.id === id && usable(k, nowMs));
    if (rootKey) {
      const arn = `arn:aws:iam::${account}:root`;
      return {
        secret: rootKey.secret,
        caller: { kind: 'root', account, arn, userId: account, principalArn: arn, mfa: null, tags: {}, transitiveTagKeys: [] },
      };
    }
    for (const [name, user] of Object.entries(acct.users ?? {})) {
      const key = user.accessKeys.find((k) => k.id === id && usable(k, nowMs));
      if (!key) continue;
      const arn = userArn(account, user.path, name);
      return {
        secret: key.secret,
        caller: {
          kind: 'user',
          account,
          arn,
          userId: principalId('AIDA', arn),
          principalArn: arn,
          userName: name,
          mfa: null,
          tags: { ...user.tags },
          transitiveTagKeys: [],
          ...(user.policy !== undefined ? { identityPolicy: user.policy } : {}),
        },
      };
    }
  }
  return null;
}

/** Fresh random temporary credentials (ASIA… key id, 40-char secret, opaque session token). */
export function newCredentials(): { accessKeyId: string; secret: string; token: string } {
  return {
    accessKeyId: base32Id('ASIA', randomBytes(16), 16),
    secret: randomBytes(30).toString('base64'),
    token: `IQoJb3JpZ2luX2VtdWxhdG9y${randomBytes(96).toString('base64')}`,
  };
}
