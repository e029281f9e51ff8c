/**
 * The SDK's HTTP handler for STS, built from the transport (resolve-sts-transport.ts): direct, through a
 * CONNECT tunnel (https endpoints), or forwarded by the proxy (http endpoints); trusting the CA bundle when
 * one is configured. Loaded on a cache miss only; the handler class comes from the SDK chunk (aws-sdk/sdk-clients.ts).
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type * as AwsSdk from '../aws-sdk/sdk-clients.js';
import { SwroleError } from '../errors.js';
import type { CaBundleChoice, ProxyChoice, StsTransport } from './resolve-sts-transport.js';
import { ForwardProxyHandler } from './forward-proxy-handler.js';
import { ProxyTunnelAgent } from './proxy-tunnel-agent.js';

export interface StsTimeouts {
  /** TCP connect to the endpoint, or the CONNECT handshake with the proxy. */
  connectMs: number;
  /** Until the response headers (the attempt's AbortSignal bounds the whole exchange). */
  requestMs: number;
}

const CA_SOURCE: Record<CaBundleChoice['from'], string> = {
  AWS_CA_BUNDLE: 'AWS_CA_BUNDLE',
  ca_bundle: 'ca_bundle in the profile',
  REQUESTS_CA_BUNDLE: 'REQUESTS_CA_BUNDLE',
};

/** The PEM text of the CA bundle; a bundle that cannot be used is a configuration error, said before any call. */
export function readCaBundle(choice: CaBundleChoice): string {
  const problem = (why: string, cause?: unknown) =>
    new SwroleError('E_CA_BUNDLE', `the CA bundle ${choice.path} (from ${CA_SOURCE[choice.from]}) ${why}`, {
      hint: 'point it at a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----), or unset it to use the system roots',
      cause,
    });
  let text: string;
  try {
    text = readFileSync(choice.path, 'utf8');
  } catch (error) {
    throw problem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw problem('holds no PEM certificate');
  return text;
}

/** The proxy as a URL; never echoes the variable's value (it may hold a password). */
export function parseProxyUrl(choice: ProxyChoice): URL {
  const problem = () =>
    new SwroleError('E_PROXY_URL', `${choice.from} is not a proxy URL swrole can use`, {
      hint: `set ${choice.from} to http://host:port (or https://host:port; user:password@ may come before the host), or unset it`,
    });
  // botocore puts http:// before any value that does not start with http: or https:, so socks5://h:1 becomes
  // a proxy named "socks5"; say what is wrong instead.
  if (/^https?:\/\/[a-z][a-z0-9+.-]*:\/\//i.test(choice.url)) throw problem();
  let url: URL;
  try {
    url = new URL(choice.url);
  } catch {
    throw problem();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw problem();
  return url;
}

export function createStsRequestHandler(
  endpointUrl: string,
  transport: StsTransport,
  timeouts: StsTimeouts,
  sdk: Pick<typeof AwsSdk, 'NodeHttpHandler'>,
): NodeHttpHandler | ForwardProxyHandler {
  const { NodeHttpHandler } = sdk;
  const ca = transport.caBundle ? readCaBundle(transport.caBundle) : undefined;
  const proxy = transport.proxy ? parseProxyUrl(transport.proxy) : null;
  const base = {
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.requestMs,
    // Unset, an exceeded requestTimeout only prints a warning (issue 15).
    throwOnRequestTimeout: true,
  };
  const agentOptions = { keepAlive: true, maxSockets: 50, ...(ca ? { ca } : {}) };
  if (proxy && transport.proxy && endpointUrl.startsWith('https:')) {
    const tunnel = {
      proxy,
      display: transport.proxy.display,
      connectTimeoutMs: timeouts.connectMs,
      answerTimeoutMs: timeouts.requestMs + 1000,
    };
    // The tunnel bounds its own connection: the SDK's connectionTimeout would also count the wait for the
    // proxy's answer to CONNECT and call a proxy that took the connection "unreachable".
    return new NodeHttpHandler({ ...base, connectionTimeout: 0, httpsAgent: new ProxyTunnelAgent(tunnel, agentOptions) });
  }
  if (proxy) return new ForwardProxyHandler(new NodeHttpHandler(base), proxy);
  return new NodeHttpHandler({ ...base, ...(ca ? { httpsAgent: new HttpsAgent(agentOptions) } : {}) });
}
