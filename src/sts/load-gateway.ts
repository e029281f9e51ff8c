import type { StsEndpoint, StsGateway } from './gateway.js';
import type { StsTransport } from './resolve-sts-transport.js';
import type { SdkSharedSettings } from './sdk-shared-settings.js';

/**
 * Loads the SDK-backed gateway on first use. The dynamic imports are the point: scripts/build.mjs makes the AWS SDK
 * (aws-sdk/sdk-clients.ts, shared with IAM Identity Center's gateway) and this gateway chunks of their own, and only
 * a cache miss pays for them.
 */
export async function loadStsGateway(
  endpoint: StsEndpoint,
  clockOffsetMs: number,
  transport: StsTransport,
  shared: SdkSharedSettings,
): Promise<StsGateway> {
  const [sdk, { createSdkGateway }] = await Promise.all([import('../aws-sdk/sdk-clients.js'), import('./sdk-gateway.js')]);
  return createSdkGateway({ endpoint, clockOffsetMs, transport, sdk, shared });
}
