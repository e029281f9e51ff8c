import { join } from 'node:path';
import { SwroleError } from '../errors.js';
import { acquireFileLock, type HeldLock } from '../platform/file-lock.js';
import { isUnwritableError } from '../platform/private-dir.js';
import { ensureOwnPath } from '../platform/trusted-dir.js';
import type { SsoRuntime } from './sso-runtime.js';

/** The token locks' directory in swrole's cache dir. */
export const SSO_LOCK_DIR = 'sso';

/** A sign-in in a browser or on a device page takes minutes: waiters give it up to 10 min (the device code's life). */
const LOGIN_WAIT_MS = 600_000;

export interface TokenLockOptions {
  /** Ends the wait without the lock (the holder wrote what we need, or we need not wait). */
  until?: () => boolean;
  doing: string;
}

/**
 * The lock around a token's check → refresh/login → write (`<cache dir>/sso/<token key>.lock`): N processes make one
 * CreateToken, and a login started while another runs waits for it instead of opening a second browser. The cache
 * dir, its ancestors and `sso/` are verified as for `sessions/` (a loose dir tightened with a warning; one another
 * user could write to is refused with E_STATE_DIR_UNSAFE: a planted lock or attempt record would stall or skip
 * refreshes). null when the dir cannot hold it (an agent sandbox): the caller goes on unlocked, as the session
 * cache does.
 */
export async function acquireTokenLock(rt: SsoRuntime, options: TokenLockOptions): Promise<HeldLock | undefined | null> {
  try {
    const dir =
      ensureOwnPath(rt.lockRoot, [SSO_LOCK_DIR], rt.user, { create: true, warn: (m) => rt.notice(`warning: ${m}`) }) ?? rt.lockDir;
    return await acquireFileLock({
      path: join(dir, `${rt.target.tokenKey}.lock`),
      owner: rt.owner,
      doing: options.doing,
      interactive: rt.interactive,
      notify: rt.notice,
      ...(options.until ? { until: options.until } : {}),
      bounds: { personInteractiveMs: LOGIN_WAIT_MS },
      timeout: (info) =>
        new SwroleError(
          'E_CACHE_LOCK_TIMEOUT',
          `the IAM Identity Center token lock ${info.path} is held by ${info.description}; gave up after ${Math.round(info.waitedMs / 1000)} s`,
          {
            hint: info.forPerson
              ? 'another swrole waits for a person to sign in: finish or cancel that sign-in, then retry'
              : `if process ${info.holder.pid} is stuck, stop it, then retry`,
          },
        ),
    });
  } catch (error) {
    if (!isUnwritableError(error)) throw error;
    rt.debug(`sso: cannot lock in ${rt.lockDir} (${error.code}): going on without the lock`);
    return null;
  }
}
