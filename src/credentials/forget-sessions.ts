import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import type { Plan } from '../plan/types.js';
import type { AwsConfig } from '../config/types.js';
import { resolvePlan } from '../plan/resolve-plan.js';
import { MEMO_DIR } from '../cache/hit-memo.js';
import { openSessionStore } from '../cache/open-session-store.js';
import type { StoredSession } from '../cache/types.js';
import { stateDirError, translateFileErrors } from '../platform/file-system-error.js';
import { REFUSALS_DIR } from './attribution-refusals.js';
import { stringValue } from '../config/types.js';
import { mfaSessionKey } from './plan-cache-keys.js';
import { resolvePlanEndpoint } from './prepare-request.js';

/** Removing a session is a write of the cache dir: one that fails is E_STATE_DIR naming the directory. */
function removing<T>(dir: string, remove: () => T): T {
  return translateFileErrors(remove, (error) => stateDirError('remove', error.path ?? dir, error, ''));
}

/**
 * `swrole logout --all`: every cached session, the hit memos that could only point at them, and the remembered
 * attribution refusals (so a trust policy fixed just now is tried at once).
 */
export function forgetAllSessions(deps: Deps, warn: (message: string) => void): { removed: number; cacheDir: string } {
  const { store, cacheDir } = openSessionStore(deps, warn);
  const removed = removing(join(cacheDir, 'sessions'), () => store.clear());
  const memoDir = join(cacheDir, MEMO_DIR);
  removing(memoDir, () => {
    try {
      rmSync(memoDir, { recursive: true, force: true });
    } catch (error) {
      // A cache dir under a plain file holds nothing to remove.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  });
  const refusals = join(cacheDir, REFUSALS_DIR);
  removing(refusals, () => {
    try {
      rmSync(refusals, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  });
  return { removed, cacheDir };
}

/**
 * The keys of the MFA sessions this plan uses, which another source profile of the same IAM user may have stored
 * (they are shared: plan-cache-keys.ts). None when the endpoint cannot be resolved: logout still works by name.
 */
function planMfaSessionKeys(deps: Deps, config: AwsConfig, plan: Plan): Set<string> {
  const source = plan.steps[0];
  const serials = new Set<string>();
  for (const step of plan.steps) if (step.kind === 'assumeRole' && step.mfaSerial) serials.add(step.mfaSerial);
  const own = stringValue(config.profiles.get(source.profile)?.values ?? {}, 'mfa_serial');
  if (own) serials.add(own);
  try {
    const endpoint = resolvePlanEndpoint(config, plan, deps.env);
    return new Set([...serials].map((serial) => mfaSessionKey(config, source, serial, endpoint)));
  } catch {
    return new Set();
  }
}

/**
 * `swrole logout PROFILE`: the sessions of every profile in the plan's chain (its roles and its source's MFA session),
 * with the config also the MFA session this user's other source profiles share, and with `ssoToken` every role
 * session obtained with that IAM Identity Center sign-in (signed out: none stays).
 */
export function forgetPlanSessions(
  deps: Deps,
  plan: Plan,
  warn: (message: string) => void,
  config?: AwsConfig,
  ssoToken?: string,
): { removed: number; profiles: string[] } {
  const names = new Set(plan.steps.map((step) => step.profile));
  const shared = config === undefined ? new Set<string>() : planMfaSessionKeys(deps, config, plan);
  const removed = removeSessionsWhere(deps, warn, (key, session) => {
    const ofSsoSignIn = ssoToken !== undefined && session.meta.ssoToken === ssoToken;
    return names.has(session.profile) || shared.has(key) || ofSsoSignIn;
  });
  return { removed, profiles: [...names] };
}

/**
 * Removes the cached sessions `matches` picks, then every temp file of a killed writer: those hold whole sessions
 * (MFA ones too) and cannot be told apart by profile cheaply, so they all go, as with `logout --all`.
 */
function removeSessionsWhere(
  deps: Deps,
  warn: (message: string) => void,
  matches: (key: string, session: StoredSession) => boolean,
): number {
  const { store, cacheDir } = openSessionStore(deps, warn);
  let removed = 0;
  for (const { key, session } of store.list()) {
    if (!matches(key, session)) continue;
    removing(join(cacheDir, 'sessions'), () => store.remove(key));
    removed++;
  }
  store.clearTempFiles();
  return removed;
}

/**
 * `swrole keys add|import|remove` (issue 12): every cached session made from `source`'s keys: its own MFA
 * session and the role sessions of every profile whose chain starts there. The cache key of a keyring source
 * does not hold the key id (reading it would touch the keyring on a hit), so a changed key must clear them here.
 */
export function forgetSourceSessions(
  deps: Deps,
  config: AwsConfig,
  source: string,
  warn: (message: string) => void,
): { removed: number; profiles: string[] } {
  const names = new Set([source]);
  for (const name of config.profiles.keys()) {
    try {
      if (resolvePlan(config, name).steps[0].profile === source) names.add(name);
    } catch {
      // a profile that does not resolve has no sessions
    }
  }
  const removed = removeSessionsWhere(deps, warn, (_key, session) => names.has(session.profile));
  return { removed, profiles: [...names] };
}
