// What the emulated IAM Identity Center remembers: client registrations, device authorizations, authorization
// codes, access and refresh tokens (each refresh rotates the refresh token), sign-in sessions, per-token rates.
import { randomBytes } from 'node:crypto';
import type { IdentityCenterInstance } from './sso-world.js';

export interface SsoClient {
  secret: string;
  expiresMs: number;
  scopes: string[];
  grantTypes: string[];
  redirectUris: string[];
  instance?: IdentityCenterInstance;
}

export interface DeviceGrant {
  clientId: string;
  instance: IdentityCenterInstance;
  userCode: string;
  expiresMs: number;
  intervalSeconds: number;
  lastPollMs?: number;
  status: 'pending' | 'approved' | 'denied' | 'used';
  user?: string;
  polls: number;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  expiresMs: number;
  instance: IdentityCenterInstance;
  user: string;
  used: boolean;
}

/** One sign-in: its refresh chain ends at `endsMs` or at Logout. */
export interface SignIn {
  instance: IdentityCenterInstance;
  user: string;
  clientId: string;
  endsMs: number;
  loggedOut: boolean;
  refreshable: boolean;
}

export interface AccessToken {
  signIn: SignIn;
  expiresMs: number;
  revoked: boolean;
}

export interface RefreshToken {
  signIn: SignIn;
  /** When it was used (rotated); valid for the instance's grace after that. */
  usedMs?: number;
}

export interface SsoState {
  clients: Map<string, SsoClient>;
  devices: Map<string, DeviceGrant>;
  codes: Map<string, AuthCode>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  /** Listing calls per access token (times in ms), for the instance's listRateLimit. */
  listCalls: Map<string, number[]>;
}

export function createSsoState(): SsoState {
  return {
    clients: new Map(),
    devices: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    listCalls: new Map(),
  };
}

export function clearSsoState(s: SsoState): void {
  for (const map of Object.values(s) as Array<Map<unknown, unknown>>) map.clear();
}

export const opaque = (prefix: string, bytes = 24) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

/** `XXXX-XXXX` of consonants and digits, as the device page shows it. */
export function userCode(): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ23456789';
  const pick = () => alphabet[randomBytes(1)[0]! % alphabet.length];
  let code = '';
  for (let i = 0; i < 8; i++) code += (i === 4 ? '-' : '') + pick();
  return code;
}

/** Issues an access token (and a refresh token when the sign-in is refreshable) for a sign-in. */
export function issueTokens(
  s: SsoState,
  signIn: SignIn,
  now: number,
): { accessToken: string; expiresIn: number; refreshToken?: string; tokenType: string } {
  const instance = signIn.instance;
  const expiresIn = signIn.refreshable ? (instance.accessTokenSeconds ?? 3600) : (instance.legacyTokenSeconds ?? 28_800);
  const accessToken = opaque('aoa');
  s.accessTokens.set(accessToken, { signIn, expiresMs: now + expiresIn * 1000, revoked: false });
  if (!signIn.refreshable) return { accessToken, expiresIn, tokenType: 'Bearer' };
  const refreshToken = opaque('aor', 48);
  s.refreshTokens.set(refreshToken, { signIn });
  return { accessToken, expiresIn, refreshToken, tokenType: 'Bearer' };
}

export function findInstance(world: { identityCenter?: { instances: IdentityCenterInstance[] } }, startUrl: string) {
  return world.identityCenter?.instances.find((i) => i.startUrl === startUrl);
}

export function defaultUser(instance: IdentityCenterInstance): string {
  return instance.defaultUser ?? Object.keys(instance.users)[0]!;
}
