/**
 * What the commands call: the cache hit is answered here, synchronously and with light imports only;
 * a miss loads the engine (obtain-credentials.ts) and, through it, the SDK — both dynamically.
 */
import type { Credentials, StoredSession } from '../cache/types.js';
import type { Deps } from '../platform/deps.js';
import type { CredentialRequest, EngineContext } from './engine-options.js';
import { planHops } from './plan-strategy.js';
import { roleKeys } from './plan-cache-keys.js';
import type { PreparedRequest } from './prepare-request.js';

export interface CredentialResult {
  credentials: Credentials;
  session?: StoredSession | undefined;
  hit: boolean;
}

export interface Reporters {
  notice: (message: string) => void;
  debug: (message: string) => void;
}

/** The cache key of the final hop's session; undefined when the plan has no role hop (nothing cached). */
export function finalSessionKey(prepared: PreparedRequest, request: CredentialRequest): string | undefined {
  const hops = planHops(prepared.config, prepared.plan, request.durationSeconds);
  if (hops.length === 0) return undefined;
  const keys = roleKeys(prepared.config, prepared.plan, hops, prepared.endpoint);
  return keys[keys.length - 1];
}

/** The final hop's cached session, valid beyond the refresh window; undefined on a miss. */
export function readCachedCredentials(prepared: PreparedRequest, request: CredentialRequest): StoredSession | undefined {
  if (request.noCache) return undefined;
  const key = finalSessionKey(prepared, request);
  return key === undefined ? undefined : prepared.store.read(key);
}

/** Builds the engine context (the STS gateway loads on first use only). */
export function createEngineContext(deps: Deps, prepared: PreparedRequest, request: CredentialRequest, reporters: Reporters): EngineContext {
  let gateway: ReturnType<EngineContext['gateway']> | undefined;
  return {
    deps,
    config: prepared.config,
    plan: prepared.plan,
    endpoint: prepared.endpoint,
    store: prepared.store,
    request,
    notice: reporters.notice,
    debug: reporters.debug,
    gateway: () => {
      gateway ??= import('../sts/load-gateway.js').then((m) => m.loadStsGateway(prepared.endpoint, deps.now() - Date.now()));
      return gateway;
    },
  };
}

export async function getCredentials(deps: Deps, prepared: PreparedRequest, request: CredentialRequest, reporters: Reporters): Promise<CredentialResult> {
  const hit = readCachedCredentials(prepared, request);
  if (hit) {
    reporters.debug(`cache: hit for profile "${prepared.plan.profile}" (expires ${hit.credentials.expiration ?? 'never'})`);
    return { credentials: hit.credentials, session: hit, hit: true };
  }
  reporters.debug(`cache: miss for profile "${prepared.plan.profile}"; STS endpoint ${prepared.endpoint.url} (${prepared.endpoint.source})`);
  const { obtainCredentials } = await import('./obtain-credentials.js');
  return obtainCredentials(createEngineContext(deps, prepared, request, reporters));
}
