import type { SdkSsoGatewayOptions } from './sdk-sso-gateway.js';
import type { SsoGateway } from './sso-gateway.js';

/** Loads the SDK-backed SSO gateway on first use (its own chunk: a cache hit never pays for it). */
export async function loadSsoGateway(options: SdkSsoGatewayOptions): Promise<SsoGateway> {
  const { createSdkSsoGateway } = await import('./sdk-sso-gateway.js');
  return createSdkSsoGateway(options);
}
