import { withRetry } from '../sts/with-retry.js';
import { startCallbackServer } from './loopback-callback.js';
import { codeChallenge, createCodeVerifier, createState } from './pkce.js';
import { DEFAULT_SCOPES } from './registration.js';
import { ssoErrors } from './sso-errors.js';
import { describeSsoFailure, type CreatedToken } from './sso-gateway.js';
import type { SsoRuntime } from './sso-runtime.js';
import type { SsoRegistration } from './sso-token-file.js';

export interface AuthCodeHooks {
  /** Shows the URL (stderr) and opens the browser on it; rejects when no browser could be started. */
  open(url: string): Promise<void>;
  /** How long to wait for the browser to come back (the CLI waits 10 min). */
  timeoutMs: number;
}

/**
 * The authorize URL exactly as the AWS CLI builds it (`SSOTokenFetcherAuth._get_authorization_uri`, captured in
 * docs/reference/sso-keyring-console.md A.4): on the SSO-OIDC endpoint, the parameters in the CLI's order, the
 * scopes space-joined under `scopes`, the S256 challenge last.
 */
export function renderAuthorizeUrl(
  oidc: string,
  clientId: string,
  redirectUri: string,
  state: string,
  scopes: readonly string[],
  challenge: string,
): string {
  const query = [
    ['response_type', 'code'],
    ['client_id', clientId],
    ['redirect_uri', redirectUri],
    ['state', state],
    ['code_challenge_method', 'S256'],
    ['scopes', scopes.join(' ')],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
  return `${oidc}/authorize?${query}&code_challenge=${challenge}`;
}

/**
 * Authorization code + PKCE (S256) with a loopback redirect on 127.0.0.1: the browser signs in, the callback brings
 * the code (one callback only, `state` checked), CreateToken exchanges it with the verifier and the exact redirect
 * URI. Nothing is written unless all of that holds.
 */
export async function runAuthCodeFlow(rt: SsoRuntime, registration: SsoRegistration, hooks: AuthCodeHooks): Promise<CreatedToken> {
  const verifier = createCodeVerifier();
  const state = createState();
  const server = await startCallbackServer(state);
  try {
    const scopes = rt.target.configuredScopes ?? DEFAULT_SCOPES;
    const url = renderAuthorizeUrl(rt.endpoints.oidc, registration.clientId, server.redirectUri, state, scopes, codeChallenge(verifier));
    await hooks.open(url);
    const result = await server.wait(hooks.timeoutMs);
    const again = `run \`swrole login ${rt.login}\` again`;
    if (result.kind === 'timeout')
      throw ssoErrors.loginFailed(
        rt.profile,
        `no answer from the browser within ${Math.round(hooks.timeoutMs / 60_000)} min (PendingAuthorizationExpiredError)`,
        `${again}; on a machine whose browser cannot reach 127.0.0.1, use \`swrole login ${rt.login} --device-code\``,
      );
    if (result.kind === 'state')
      throw ssoErrors.loginFailed(
        rt.profile,
        'State parameter does not match expected value.',
        `${again}: the callback did not come from this sign-in`,
      );
    if (result.kind === 'error')
      throw ssoErrors.loginFailed(
        rt.profile,
        `the browser came back with ${result.error}${result.description ? `: ${result.description}` : ''}`,
        again,
      );
    const gateway = await rt.gateway();
    try {
      return await withRetry((signal) =>
        gateway.createToken(
          {
            grantType: 'authorization_code',
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            redirectUri: server.redirectUri,
            codeVerifier: verifier,
            code: result.code,
          },
          { signal },
        ),
      );
    } catch (error) {
      const failure = describeSsoFailure(error);
      throw ssoErrors.loginFailed(
        rt.profile,
        `CreateToken refused the authorization code: ${failure.name}${failure.message ? `: ${failure.message}` : ''}`,
        again,
        error,
      );
    }
  } finally {
    server.close();
  }
}
