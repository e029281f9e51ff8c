/**
 * Plain-http STS endpoints (emulators, LocalStack) through HTTP_PROXY: the request goes to the proxy with the
 * absolute URL as its target, as urllib3's ProxyManager does for botocore (no CONNECT: proxies such as
 * Squid refuse CONNECT to ports other than 443). The signed Host header is left as it is.
 */
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { proxyAuthorization } from './proxy-tunnel-agent.js';

type Handle = NodeHttpHandler['handle'];

export class ForwardProxyHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: NodeHttpHandler;
  private readonly proxy: URL;

  constructor(inner: NodeHttpHandler, proxy: URL) {
    this.inner = inner;
    this.proxy = proxy;
  }

  handle(...[request, options]: Parameters<Handle>): ReturnType<Handle> {
    const port = request.port ? `:${request.port}` : '';
    const host = request.headers.host ?? request.headers.Host ?? `${request.hostname}${port}`;
    const auth = proxyAuthorization(this.proxy);
    // A copy of the same class (HttpRequest), with the proxy as the peer and the endpoint as the target.
    const copy = Object.create(Object.getPrototypeOf(request) as object) as Parameters<Handle>[0];
    const forwarded = Object.assign(copy, request, {
      protocol: this.proxy.protocol,
      hostname: this.proxy.hostname,
      port: Number(this.proxy.port) || (this.proxy.protocol === 'https:' ? 443 : 80),
      path: `${request.protocol}//${request.hostname}${port}${request.path}`,
      headers: { ...request.headers, host, ...(auth ? { 'proxy-authorization': auth } : {}) },
    });
    return this.inner.handle(forwarded, options);
  }

  updateHttpClientConfig(...args: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.inner.updateHttpClientConfig(...args);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}
