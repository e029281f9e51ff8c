/**
 * What the commands call: the cache hit is answered here, synchronously and with light imports only;
 * a miss loads the engine (obtain-credentials.ts, create-engine-context.ts) and, through it, the SDK — all
 * dynamically.
 */
import type { Credentials } from '../domain/credentials.js';
import type { StoredSession } from '../cache/types.js';
import type { Deps } from '../platform/deps.js';
import type { CredentialRequest } from './engine-options.js';
import { planHops, type HopPlan } from './plan-strategy.js';
import { mfaSessionKey, roleKeys, sourceSessionKey } from './plan-cache-keys.js';
import { planSourceSession, type SourceSessionPlan } from './plan-source-session.js';
import type { PreparedRequest } from './prepare-request.js';

export interface CredentialResult {
  credentials: Credentials;
  /** The session of the last hop (role credentials), when the plan has one. */
  session?: StoredSession | undefined;
  /** Its cache key (what a hit memo points at); undefined when the plan has no role hop. */
  sessionKey?: string | undefined;
  /** True when the final credentials came from the cache without any STS call. */
  hit: boolean;
}

export interface Reporters {
  notice: (message: string) => void;
  debug: (message: string) => void;
}

/**
 * The plan's role hops and their cache keys, in order; a plan without a role has no hops, the session made from
 * its source instead (`source`) and that session's key as the only key (none when handed out as it is).
 */
export interface PlannedSessions {
  hops: HopPlan[];
  keys: string[];
  source?: SourceSessionPlan;
}

export function planSessions(
  prepared: Pick<PreparedRequest, 'config' | 'plan' | 'endpoint' | 'scope' | 'userName'>,
  request: CredentialRequest,
): PlannedSessions {
  const { config, plan, endpoint } = prepared;
  const hops = planHops(config, plan, request.durationSeconds);
  if (hops.length > 0) return { hops, keys: roleKeys(config, plan, hops, endpoint) };
  const source = planSourceSession(config, plan, prepared.scope, request, prepared.userName);
  const key = sourceSessionKey(config, plan.steps[0], source, endpoint);
  return { hops, keys: key === undefined ? [] : [key], source };
}

function readFinal(prepared: PreparedRequest, request: CredentialRequest, keys: readonly string[]): StoredSession | undefined {
  const key = keys.at(-1);
  return request.noCache || key === undefined ? undefined : prepared.store.read(key);
}

/** The final hop's cached session, valid beyond the refresh window; undefined on a miss. */
export function readCachedCredentials(prepared: PreparedRequest, request: CredentialRequest): StoredSession | undefined {
  return readFinal(prepared, request, planSessions(prepared, request).keys);
}

/** What the cache holds for a request, without any STS call (the statusline). */
export interface CachedSessions {
  /** The session handed out (the last role), while valid beyond the refresh window. */
  final: StoredSession | undefined;
  /** The MFA session behind it, when the plan uses one: the real cliff (roles renew silently until it ends). */
  mfa: StoredSession | undefined;
  /** True when the plan needs an MFA code that only a human can give once no MFA session is cached. */
  needsMfa: boolean;
}

export function readCachedSessions(prepared: PreparedRequest, request: CredentialRequest): CachedSessions {
  const planned = planSessions(prepared, request);
  const first = planned.hops[0];
  const mfaHop = first?.mfa === 'session' ? first : undefined;
  const mfa = mfaHop
    ? prepared.store.read(mfaSessionKey(prepared.config, prepared.plan.steps[0], mfaHop.step.mfaSerial ?? '', prepared.endpoint))
    : undefined;
  return {
    final: readFinal(prepared, request, planned.keys),
    mfa,
    needsMfa: planned.hops.some((hop) => hop.mfa !== 'none'),
  };
}

export async function getCredentials(
  deps: Deps,
  prepared: PreparedRequest,
  request: CredentialRequest,
  reporters: Reporters,
): Promise<CredentialResult> {
  const planned = planSessions(prepared, request);
  const hit = readFinal(prepared, request, planned.keys);
  if (hit) {
    reporters.debug(`cache: hit for profile "${prepared.plan.profile}" (expires ${hit.credentials.expiration ?? 'never'})`);
    return { credentials: hit.credentials, session: hit, sessionKey: planned.keys.at(-1), hit: true };
  }
  reporters.debug(
    `cache: miss for profile "${prepared.plan.profile}"; STS endpoint ${prepared.endpoint.url} (${prepared.endpoint.source})`,
  );
  const [{ obtainCredentials }, { createEngineContext }] = await Promise.all([
    import('./obtain-credentials.js'),
    import('./create-engine-context.js'),
  ]);
  return obtainCredentials(createEngineContext(deps, prepared, request, reporters), planned);
}
