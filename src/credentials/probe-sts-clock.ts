/**
 * `swrole doctor`'s clock check: one HEAD request to the STS endpoint swrole would call for a profile, through the
 * same proxy and CA bundle (resolve-sts-transport.ts: HTTPS_PROXY/NO_PROXY, AWS_CA_BUNDLE, ca_bundle), comparing
 * the answer's `Date` header with the local clock. SigV4 requests more than 5 minutes off are refused
 * (SignatureDoesNotMatch "Signature expired", E_CLOCK_SKEW), and cached sessions are judged by the local clock.
 * Plain node:http(s): no AWS SDK, no credentials, nothing signed. Bounded: offline or behind a silent proxy it
 * reports why within the timeout instead of hanging.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AwsConfig } from '../config/types.js';
import { EMPTY_AWS_CONFIG } from '../config/empty-aws-config.js';
import { resolveRegion } from '../config/resolve-selection.js';
import type { Deps } from '../platform/deps.js';
import { resolveStsTransport, type StsTransport } from '../sts/resolve-sts-transport.js';
import { ProxyTunnelAgent, proxyAuthorization } from '../sts/proxy-tunnel-agent.js';
import { resolvePlanEndpoint } from './prepare-request.js';

export interface StsProbeTarget {
  url: string;
  transport: StsTransport;
}

/** Where (and how) STS is reached for `profile`: its endpoint (AWS_ENDPOINT_URL_STS, endpoint_url, region), proxy and CA bundle. */
export function resolveStsProbeTarget(deps: Pick<Deps, 'env'>, config: AwsConfig | undefined, profile: string): StsProbeTarget {
  const selected = config?.profiles.get(profile);
  const region = resolveRegion(deps.env, selected);
  const endpoint = resolvePlanEndpoint(config ?? EMPTY_AWS_CONFIG, { profile, region }, deps.env);
  const caBundle = selected?.values.ca_bundle;
  return {
    url: endpoint.url,
    transport: resolveStsTransport({
      env: deps.env,
      endpointUrl: endpoint.url,
      profileCaBundle: typeof caBundle === 'string' ? caBundle : undefined,
    }),
  };
}

export type ClockProbe =
  { kind: 'measured'; url: string; skewMs: number; roundTripMs: number } | { kind: 'failed'; url: string; reason: string };

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (offline, or DNS cannot resolve it)',
  EAI_AGAIN: 'host not found (offline, or DNS cannot resolve it)',
  ECONNRESET: 'the connection was reset',
  ENETUNREACH: 'network unreachable (offline?)',
  EHOSTUNREACH: 'host unreachable',
};

/** One HEAD request; the skew is the server's Date minus the local clock at the middle of the round trip. */
export function probeStsClock(target: StsProbeTarget, now: () => number, timeoutMs: number): Promise<ClockProbe> {
  const { url, transport } = target;
  return new Promise((resolve) => {
    let req: ClientRequest | undefined;
    let settled = false;
    const done = (probe: ClockProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(probe);
    };
    const failed = (reason: string) => done({ kind: 'failed', url, reason });
    const timer = setTimeout(() => failed(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    let ca: Buffer | undefined;
    let proxy: URL | undefined;
    let target: URL;
    try {
      target = new URL(url);
      // The CA bundle matters for https only (its own check reports a missing one).
      if (transport.caBundle && target.protocol === 'https:') ca = readFileSync(transport.caBundle.path);
      if (transport.proxy) proxy = new URL(transport.proxy.url);
    } catch (error) {
      failed((error as Error).message);
      return;
    }
    const started = now();
    const onResponse = (res: IncomingMessage) => {
      const ended = now();
      res.resume();
      const date = res.headers.date === undefined ? Number.NaN : Date.parse(res.headers.date);
      if (Number.isNaN(date)) {
        failed(`the answer (HTTP ${res.statusCode}) has no Date header`);
        return;
      }
      done({ kind: 'measured', url, skewMs: date - (started + ended) / 2, roundTripMs: ended - started });
    };
    try {
      if (target.protocol === 'https:') {
        const agent = proxy
          ? new ProxyTunnelAgent(
              { proxy, display: transport.proxy!.display, connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs },
              { ...(ca ? { ca } : {}) },
            )
          : new HttpsAgent({ ...(ca ? { ca } : {}) });
        req = httpsRequest(target, { method: 'HEAD', agent }, onResponse);
      } else if (proxy) {
        // A forwarding proxy takes the absolute URL (as botocore's urllib3 sends plain http).
        const auth = proxyAuthorization(proxy);
        const send = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
        req = send(
          {
            host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
            method: 'HEAD',
            path: target.href,
            headers: { host: target.host, ...(auth ? { 'proxy-authorization': auth } : {}) },
          },
          onResponse,
        );
      } else {
        req = httpRequest(target, { method: 'HEAD' }, onResponse);
      }
    } catch (error) {
      failed((error as Error).message);
      return;
    }
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      // Node's certificate errors (DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED...).
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
      failed(
        REASONS[code] ?? (tls ? `TLS: ${error.message}; a corporate proxy's CA belongs in AWS_CA_BUNDLE or ca_bundle` : error.message),
      );
    });
    req.end();
  });
}
