import type { StsEndpoint, StsGateway } from './gateway.js';
import type { StsTransport } from './resolve-sts-transport.js';

/**
 * Loads the SDK-backed gateway on first use. The dynamic import is the point: esbuild puts @aws-sdk in
 * its own chunk and only a cache miss pays for it.
 */
export async function loadStsGateway(endpoint: StsEndpoint, clockOffsetMs: number, transport: StsTransport): Promise<StsGateway> {
  const { createSdkGateway } = await import('./sdk-gateway.js');
  return createSdkGateway({ endpoint, clockOffsetMs, transport });
}
