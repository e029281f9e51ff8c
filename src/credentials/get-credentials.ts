/**
 * What the commands call: the cache hit is answered here, synchronously and with light imports only;
 * a miss loads the engine (obtain-credentials.ts) and, through it, the SDK — both dynamically.
 */
import type { Credentials } from '../domain/credentials.js';
import type { StoredSession } from '../cache/types.js';
import type { Deps } from '../platform/deps.js';
import type { CredentialRequest, EngineContext, EngineStore } from './engine-options.js';
import { planHops, type HopPlan } from './plan-strategy.js';
import { mfaSessionKey, roleKeys } from './plan-cache-keys.js';
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

/** The plan's role hops and their cache keys, in order (both empty when the plan has no role: nothing is cached). */
export interface PlannedSessions {
  hops: HopPlan[];
  keys: string[];
}

export function planSessions(prepared: Pick<PreparedRequest, 'config' | 'plan' | 'endpoint'>, request: CredentialRequest): PlannedSessions {
  const hops = planHops(prepared.config, prepared.plan, request.durationSeconds);
  return { hops, keys: hops.length === 0 ? [] : roleKeys(prepared.config, prepared.plan, hops, prepared.endpoint) };
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

/** `--no-cache`: a store that never answers and never keeps anything, so the engine needs no special case. */
const PASS_THROUGH: EngineStore = {
  read: () => undefined,
  obtain: async (_key, fetch) => ({ session: await fetch(), hit: false }),
  remove: () => {},
};

/** Builds the engine context (the STS gateway loads on first use only). */
export function createEngineContext(
  deps: Deps,
  prepared: PreparedRequest,
  request: CredentialRequest,
  reporters: Reporters,
): EngineContext {
  let gateway: ReturnType<EngineContext['gateway']> | undefined;
  return {
    deps,
    config: prepared.config,
    plan: prepared.plan,
    endpoint: prepared.endpoint,
    store: request.noCache ? PASS_THROUGH : prepared.store,
    request,
    notice: reporters.notice,
    debug: reporters.debug,
    gateway: () => {
      gateway ??= import('../sts/load-gateway.js').then((m) => m.loadStsGateway(prepared.endpoint, deps.now() - Date.now()));
      return gateway;
    },
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
  const { obtainCredentials } = await import('./obtain-credentials.js');
  return obtainCredentials(createEngineContext(deps, prepared, request, reporters), planned);
}
