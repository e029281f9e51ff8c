/**
 * Refreshing ahead of expiry, for a long-lived consumer (the container-credentials server, src/server/): the
 * plan's credentials, newer than the ones being replaced, through the same cache, lock and STS calls as every
 * other command.
 */
import type { Deps } from '../platform/deps.js';
import { openSessionStore } from '../cache/open-session-store.js';
import type { CredentialRequest, EngineStore } from './engine-options.js';
import { getCredentials, planSessions, type CredentialResult, type Reporters } from './get-credentials.js';
import { createEngineContext } from './create-engine-context.js';
import { sourceKey } from './plan-cache-keys.js';
import type { PreparedRequest } from './prepare-request.js';

/**
 * `replacingExpiresAtMs` undefined: whatever getCredentials answers (a cache hit or STS). Otherwise credentials that
 * expire later than that. The final session is looked up in the cache *as of that expiry*: the session being
 * replaced is a miss there, so the store's own lock and re-check decide who calls STS, and a newer session another
 * process (another server, `swrole process`) stored meanwhile is taken as it is — N consumers, one STS call. Every
 * other session of the chain (the MFA session, intermediate roles) is looked up as usual: an MFA session with an
 * hour left still serves.
 */
export async function refreshCredentials(
  deps: Deps,
  prepared: PreparedRequest,
  request: CredentialRequest,
  reporters: Reporters,
  replacingExpiresAtMs: number | undefined,
): Promise<CredentialResult> {
  if (replacingExpiresAtMs === undefined || request.noCache) return getCredentials(deps, prepared, request, reporters);
  const planned = planSessions(prepared, request);
  const aheadKey = planned.keys.at(-1) ?? sourceKey(prepared.config, prepared.plan.steps[0], prepared.endpoint);
  const shiftMs = Math.max(0, replacingExpiresAtMs - deps.now());
  const ahead = openSessionStore({ ...deps, now: () => deps.now() + shiftMs }, reporters.notice).store;
  const storeOf = (key: string): EngineStore => (key === aheadKey ? ahead : prepared.store);
  const store: EngineStore = {
    read: (key) => storeOf(key).read(key),
    obtain: (...args: Parameters<EngineStore['obtain']>) => storeOf(args[0]).obtain(...args),
    remove: (key) => prepared.store.remove(key),
    setLockActivity: (activity) => {
      prepared.store.setLockActivity(activity);
      ahead.setLockActivity(activity);
    },
  };
  reporters.debug(`cache: refreshing profile "${prepared.plan.profile}" ahead of ${new Date(replacingExpiresAtMs).toISOString()}`);
  const { obtainCredentials } = await import('./obtain-credentials.js');
  return obtainCredentials({ ...createEngineContext(deps, prepared, request, reporters), store }, planned);
}
