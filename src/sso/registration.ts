import { withRetry } from '../sts/with-retry.js';
import { registrationCacheKey } from './sso-cache-names.js';
import { ssoErrors } from './sso-errors.js';
import { describeSsoFailure } from './sso-gateway.js';
import type { SsoRuntime } from './sso-runtime.js';
import { formatSsoTime, isAuthCodeRegistration, parseSsoTime, type SsoRegistration } from './sso-token-file.js';
import { readRegistrationFile, writeRegistrationFile } from './sso-token-cache.js';

/** The AWS CLI reuses a registration with more than 15 minutes left (`BaseSSOTokenFetcher._is_expired`). */
const REUSE_MS = 15 * 60_000;
/** What the CLI registers when no sso_registration_scopes is set: the scope that makes tokens refreshable. */
export const DEFAULT_SCOPES = ['sso:account:access'];
/** The PKCE redirect URI is registered without its port (RFC 8252 §7.3). */
export const REDIRECT_URI_WITHOUT_PORT = 'http://127.0.0.1/oauth/callback';

export type RegistrationKind = 'device' | 'authCode';

/** The scopes swrole registers with: configured ones; else the refreshable default for sessions; none for legacy. */
export function registrationScopes(rt: SsoRuntime): string[] | undefined {
  if (rt.target.sessionName === null) return undefined;
  return rt.target.configuredScopes ?? DEFAULT_SCOPES;
}

/**
 * A client registration for this sign-in: the cached one (the CLI's file and key, so `aws sso login` and swrole share
 * it) while it has more than 15 minutes left and is of the right kind, else RegisterClient, written back the same way.
 */
export async function obtainRegistration(
  rt: SsoRuntime,
  kind: RegistrationKind,
  options: { fresh?: boolean } = {},
): Promise<{ registration: SsoRegistration; reused: boolean }> {
  const t = rt.target;
  const key = registrationCacheKey(t.startUrl, t.region, t.configuredScopes, t.sessionName);
  const cached = options.fresh ? undefined : await readRegistrationFile(rt.cacheDir, key);
  if (cached?.state === 'ok') {
    const r = cached.value;
    if (parseSsoTime(r.expiresAt) - rt.now() >= REUSE_MS && isAuthCodeRegistration(r) === (kind === 'authCode')) {
      rt.debug(`sso: reusing the client registration ${key}.json`);
      return { registration: r, reused: true };
    }
  }
  const scopes = registrationScopes(rt);
  const gateway = await rt.gateway();
  const clientName = `swrole-client-${t.sessionName ?? Math.floor(rt.now() / 1000)}`;
  rt.debug(`sso: RegisterClient (${kind}) ${clientName} at ${rt.endpoints.oidc}`);
  const grantTypes = kind === 'authCode' ? ['authorization_code', 'refresh_token'] : undefined;
  let out: Awaited<ReturnType<typeof gateway.registerClient>>;
  try {
    out = await withRetry((signal) =>
      gateway.registerClient(
        {
          clientName,
          scopes,
          ...(grantTypes ? { grantTypes, redirectUris: [REDIRECT_URI_WITHOUT_PORT], issuerUrl: t.startUrl } : {}),
        },
        { signal },
      ),
    );
  } catch (error) {
    throw ssoErrors.failed(rt.profile, 'RegisterClient', rt.endpoints.oidc, describeSsoFailure(error), error);
  }
  const registration: SsoRegistration = {
    clientId: out.clientId,
    clientSecret: out.clientSecret,
    expiresAt: formatSsoTime(out.clientSecretExpiresAt * 1000),
    ...(scopes ? { scopes } : {}),
    ...(grantTypes ? { grantTypes } : {}),
  };
  try {
    writeRegistrationFile(rt.cacheDir, key, registration, rt.platform);
  } catch (error) {
    rt.debug(`sso: cannot keep the registration (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { registration, reused: false };
}
