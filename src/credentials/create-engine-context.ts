/**
 * The engine context of a cache miss: what to call STS with (endpoint, proxy, CA bundle), the store, the
 * reporters. Loaded dynamically by get-credentials.ts (and by login/whoami, which always reach STS), so the
 * transport resolution is no part of a cache hit.
 */
import { stringValue } from '../config/types.js';
import type { Deps } from '../platform/deps.js';
import { resolveStsTransport } from '../sts/resolve-sts-transport.js';
import { sdkSharedSettings } from '../sts/sdk-shared-settings.js';
import type { CredentialRequest, EngineContext, EngineStore } from './engine-options.js';
import type { Reporters } from './get-credentials.js';
import type { PreparedRequest } from './prepare-request.js';

/** `--no-cache`: a store that never answers and never keeps anything, so the engine needs no special case. */
const PASS_THROUGH: EngineStore = {
  read: () => undefined,
  obtain: async (_key, fetch) => ({ session: await fetch(), hit: false }),
  remove: () => {},
  setLockActivity: () => {},
};

/** Builds the engine context (the STS gateway loads on first use only). */
export function createEngineContext(
  deps: Deps,
  prepared: PreparedRequest,
  request: CredentialRequest,
  reporters: Reporters,
): EngineContext {
  let gateway: ReturnType<EngineContext['gateway']> | undefined;
  // botocore reads ca_bundle from the selected profile (its session's config), as it does endpoint_url.
  const transport = resolveStsTransport({
    env: deps.env,
    endpointUrl: prepared.endpoint.url,
    profileCaBundle: stringValue(prepared.config.profiles.get(prepared.plan.profile)?.values ?? {}, 'ca_bundle'),
  });
  return {
    deps,
    config: prepared.config,
    plan: prepared.plan,
    endpoint: prepared.endpoint,
    transport,
    scope: prepared.scope,
    userName: prepared.userName,
    cacheDir: prepared.cacheDir,
    store: request.noCache ? PASS_THROUGH : prepared.store,
    request,
    notice: reporters.notice,
    debug: reporters.debug,
    gateway: () => {
      // No region for a configured URL, or an invalid one: an error only now that STS is needed (resolve-sts-endpoint.ts).
      if (prepared.endpoint.deferredError) return Promise.reject(prepared.endpoint.deferredError);
      if (gateway === undefined) {
        const via = transport.proxy ? `proxy ${transport.proxy.display} (${transport.proxy.from})` : 'no proxy';
        const ca = transport.caBundle ? `CA bundle ${transport.caBundle.path} (${transport.caBundle.from})` : 'system CA roots';
        reporters.debug(`sts: ${prepared.endpoint.url} via ${via}, ${ca}`);
        gateway = import('../sts/load-gateway.js').then((m) =>
          m.loadStsGateway(prepared.endpoint, deps.now() - Date.now(), transport, sdkSharedSettings(prepared.config, deps.env)),
        );
      }
      return gateway;
    },
  };
}
