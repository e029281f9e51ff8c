import type { SdkSsoGatewayOptions } from './sdk-sso-gateway.js';
import type { SsoGateway } from './sso-gateway.js';

/**
 * Loads the SDK-backed SSO gateway on first use: the gateway and the AWS SDK (aws-sdk/sdk-clients.ts, the chunk the
 * STS gateway uses too) are chunks of their own, and a cache hit never pays for them.
 */
export async function loadSsoGateway(options: Omit<SdkSsoGatewayOptions, 'sdk'>): Promise<SsoGateway> {
  const [sdk, { createSdkSsoGateway }] = await Promise.all([import('../aws-sdk/sdk-clients.js'), import('./sdk-sso-gateway.js')]);
  return createSdkSsoGateway({ ...options, sdk });
}
