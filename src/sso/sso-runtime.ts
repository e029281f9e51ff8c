import type { PosixUser } from '../platform/deps.js';
import type { LockOwner } from '../platform/file-lock.js';
import type { SsoEndpoints } from './sso-endpoints.js';
import type { SsoGateway } from './sso-gateway.js';
import type { SsoTarget } from './sso-target.js';

/** What the token, login and portal code of one run needs (built by credentials/, passed down). */
export interface SsoRuntime {
  /** The SSO profile (for messages). */
  profile: string;
  /** The profile the user selected: `swrole login <login>` signs in again. */
  login: string;
  target: SsoTarget;
  /** ~/.aws/sso/cache. */
  cacheDir: string;
  /**
   * swrole's own files about tokens (the refresh or sign-in lock, the last refresh attempt): `<cache dir>/sso`, beside
   * `sessions/` and its locks, and checked by the same directory trust rule (src/platform/trusted-dir.ts).
   */
  lockDir: string;
  /** The cache dir `lockDir` is in: it and its ancestors are verified before a lock is taken there. */
  lockRoot: string;
  /** Who must own `lockRoot` and `lockDir` (undefined on Windows: nothing to check). */
  user: PosixUser | undefined;
  endpoints: SsoEndpoints;
  gateway(): Promise<SsoGateway>;
  now(): number;
  platform: NodeJS.Platform;
  owner: LockOwner;
  /** Whether a person waits on this run (bounds waits on a lock held by a login). */
  interactive(): boolean;
  notice(message: string): void;
  debug(message: string): void;
}
