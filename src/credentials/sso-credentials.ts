/**
 * An IAM Identity Center source (docs/reference/sso-keyring-console.md A.7, A.10): the sign-in's access token from
 * ~/.aws/sso/cache (refreshed if due, src/sso/access-token.ts), then GetRoleCredentials. Runs inside the session
 * store's lock for the role's key, so N parallel callers make at most one GetRoleCredentials per role; the result is
 * cached like any other session (and the hit path never loads this file or the SDK).
 */
import { join } from 'node:path';
import type { StoredSession } from '../cache/types.js';
import { storedSession } from '../cache/session-file.js';
import { stringValue } from '../config/types.js';
import type { SsoSource } from '../plan/types.js';
import { withRetry } from '../sts/with-retry.js';
import { obtainAccessToken } from '../sso/access-token.js';
import { ssoCacheDir } from '../sso/sso-cache-names.js';
import { resolveSsoEndpoints } from '../sso/sso-endpoints.js';
import { ssoErrors } from '../sso/sso-errors.js';
import { describeSsoFailure, type SsoGateway } from '../sso/sso-gateway.js';
import type { SsoRuntime } from '../sso/sso-runtime.js';
import { ssoTargetOf } from '../sso/sso-target.js';
import { SSO_LOCK_DIR } from '../sso/token-lock.js';
import { peekSsoToken, removeCacheFile } from '../sso/sso-token-cache.js';
import type { AwsConfig } from '../config/types.js';
import type { Deps } from '../platform/deps.js';
import { sdkSharedSettings } from '../sts/sdk-shared-settings.js';

export interface SsoRuntimeInput {
  deps: Deps;
  config: AwsConfig;
  /** The selected profile: its endpoint_url, services and ca_bundle apply (botocore's session config). */
  selected: string;
  /** swrole's cache dir (resolveSwroleDirs().cacheDir): the token locks live in its `sso/`. */
  stateDir: string;
  notice: (message: string) => void;
  debug: (message: string) => void;
  interactive: () => boolean;
  /** What follows `swrole login` in hints (default: the selected profile). */
  login?: string;
}

/** The runtime of one SSO source: its token file, endpoints, lock and lazily loaded gateway. */
export function createSsoRuntime(
  input: SsoRuntimeInput,
  source: Pick<SsoSource, 'profile' | 'ssoSession' | 'startUrl' | 'ssoRegion'>,
): SsoRuntime {
  const { deps, config } = input;
  const values = config.profiles.get(input.selected)?.values ?? {};
  const servicesName = stringValue(values, 'services');
  const services = servicesName ? config.services.get(servicesName)?.values : undefined;
  const sub = (name: string) => {
    const section = services?.[name];
    return typeof section === 'object' ? section.endpoint_url : undefined;
  };
  const endpoints = resolveSsoEndpoints({
    env: deps.env,
    region: source.ssoRegion,
    startUrl: source.startUrl,
    profileEndpointUrl: stringValue(values, 'endpoint_url'),
    profileIgnoreConfiguredEndpointUrls: stringValue(values, 'ignore_configured_endpoint_urls'),
    servicesSso: sub('sso'),
    servicesSsoOidc: sub('sso_oidc'),
  });
  let gateway: Promise<SsoGateway> | undefined;
  return {
    profile: source.profile,
    login: input.login ?? input.selected,
    target: ssoTargetOf(config, source),
    cacheDir: ssoCacheDir(deps.homedir),
    lockDir: join(input.stateDir, SSO_LOCK_DIR),
    lockRoot: input.stateDir,
    user: deps.user,
    endpoints,
    gateway: () =>
      (gateway ??= import('../sso/load-sso-gateway.js').then((m) =>
        m.loadSsoGateway({
          endpoints,
          region: source.ssoRegion,
          env: deps.env,
          profileCaBundle: stringValue(values, 'ca_bundle'),
          shared: sdkSharedSettings(config, deps.env),
        }),
      )),
    now: deps.now,
    platform: deps.platform,
    owner: { pid: deps.pid, command: deps.invocation ?? 'swrole', now: deps.now, platform: deps.platform },
    interactive: input.interactive,
    notice: input.notice,
    debug: input.debug,
  };
}

/** 429s are retried with backoff and jitter, a few times within swrole's usual 10 s bound. */
const PORTAL_RETRY = { attempts: 4, baseDelayMs: 400 };

async function getRoleCredentials(rt: SsoRuntime, source: SsoSource, accessToken: string) {
  const gateway = await rt.gateway();
  rt.debug(`sso: GetRoleCredentials account=${source.accountId} role=${source.roleName} at ${rt.endpoints.portal}`);
  return withRetry(
    (signal) => gateway.getRoleCredentials({ accessToken, accountId: source.accountId, roleName: source.roleName }, { signal }),
    PORTAL_RETRY,
  );
}

/** GetRoleCredentials with a token refreshed if due; a 401 gets one refresh and one more try, then a login hint. */
export async function fetchSsoSession(rt: SsoRuntime, source: SsoSource): Promise<StoredSession> {
  let token = await obtainAccessToken(rt);
  for (let attempt = 1; ; attempt++) {
    try {
      const credentials = await getRoleCredentials(rt, source, token.accessToken);
      return storedSession('source', source.profile, credentials, {
        sourceKind: 'sso',
        ssoToken: rt.target.tokenKey,
        accountId: source.accountId,
        roleName: source.roleName,
        obtainedAt: new Date(rt.now()).toISOString(),
      });
    } catch (error) {
      const failure = describeSsoFailure(error);
      if (failure.status === 401 || failure.name === 'UnauthorizedException') {
        // Revoked or superseded while expiresAt is still ahead (aws-cli#7340): one refresh, then a person.
        if (attempt === 1 && rt.target.sessionName !== null) {
          rt.debug('sso: the portal refused the token (401): refreshing it once');
          token = await obtainAccessToken(rt, { force: true });
          continue;
        }
        if (peekSsoToken(rt.cacheDir, rt.target.tokenKey)?.accessToken === token.accessToken) {
          // A dead token would send every caller to the portal again: drop it (aws-vault does the same).
          try {
            removeCacheFile(rt.cacheDir, rt.target.tokenKey);
          } catch {
            // the next caller finds it and is told the same
          }
        }
        throw ssoErrors.sessionExpired(rt.profile, rt.login, error);
      }
      if (failure.status === 403 || failure.name === 'ForbiddenException')
        throw ssoErrors.noAccess(rt.profile, source.accountId, source.roleName, failure);
      if (failure.status === 429 || failure.name === 'TooManyRequestsException')
        throw ssoErrors.throttled(rt.profile, 'GetRoleCredentials', PORTAL_RETRY.attempts, error);
      throw ssoErrors.failed(rt.profile, 'GetRoleCredentials', rt.endpoints.portal, failure, error);
    }
  }
}
