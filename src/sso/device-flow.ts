import { withRetry } from '../sts/with-retry.js';
import { ssoErrors } from './sso-errors.js';
import { describeSsoFailure, type CreatedToken, type DeviceAuthorization } from './sso-gateway.js';
import type { SsoRuntime } from './sso-runtime.js';
import type { SsoRegistration } from './sso-token-file.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: the default interval and what slow_down adds. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;

export interface DeviceFlowHooks {
  /** Shows the verification URL and user code to the person (stderr); may open a browser on it. */
  show(authorization: DeviceAuthorization): void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The device authorization flow as the AWS CLI runs it (`SSOTokenFetcher._poll_for_token`, docs/reference/
 * sso-keyring-console.md A.3): StartDeviceAuthorization, one CreateToken at once (a pre-authorized client needs no
 * prompt), then the URL and code, then CreateToken every `interval` (+5 s on slow_down) until approved, denied or
 * expired — bounded on our side too by the authorization's own lifetime.
 */
export async function runDeviceFlow(rt: SsoRuntime, registration: SsoRegistration, hooks: DeviceFlowHooks): Promise<CreatedToken> {
  const gateway = await rt.gateway();
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let authorization: DeviceAuthorization;
  try {
    authorization = await withRetry((signal) =>
      gateway.startDeviceAuthorization(
        { clientId: registration.clientId, clientSecret: registration.clientSecret, startUrl: rt.target.startUrl },
        { signal },
      ),
    );
  } catch (error) {
    // InvalidClientException here: a cached registration the service no longer knows (sign-in.ts registers again).
    throw ssoErrors.failed(rt.profile, 'StartDeviceAuthorization', rt.endpoints.oidc, describeSsoFailure(error), error);
  }
  let interval = authorization.interval ?? DEFAULT_INTERVAL_S;
  const deadline = performance.now() + (authorization.expiresIn + 30) * 1000;
  for (let attempt = 0; ; attempt++) {
    if (attempt === 1) await hooks.show(authorization);
    if (attempt > 0) await sleep(interval * 1000);
    if (performance.now() > deadline) break;
    try {
      return await withRetry((signal) =>
        gateway.createToken(
          {
            grantType: DEVICE_GRANT,
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            deviceCode: authorization.deviceCode,
          },
          { signal },
        ),
      );
    } catch (error) {
      const failure = describeSsoFailure(error);
      if (failure.name === 'AuthorizationPendingException') continue;
      if (failure.name === 'SlowDownException') {
        interval += SLOW_DOWN_S;
        continue;
      }
      if (failure.name === 'ExpiredTokenException') break;
      if (failure.name === 'AccessDeniedException')
        throw ssoErrors.loginFailed(
          rt.profile,
          'the sign-in was denied on the device page',
          `run \`swrole login ${rt.login}\` again and approve the request`,
          error,
        );
      throw ssoErrors.failed(rt.profile, 'CreateToken', rt.endpoints.oidc, failure, error);
    }
  }
  throw ssoErrors.loginFailed(
    rt.profile,
    'the device code expired before it was approved (PendingAuthorizationExpiredError)',
    `run \`swrole login ${rt.login}\` again and enter the code within ${Math.round(authorization.expiresIn / 60)} minutes`,
  );
}
