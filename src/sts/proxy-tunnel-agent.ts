/**
 * HTTPS to STS through an HTTP proxy: `CONNECT host:port`, then TLS to the endpoint inside the tunnel, as
 * urllib3 does for botocore (issue 9 §6: corporate proxies and Claude Code's sandbox proxy). Written here
 * rather than taken from https-proxy-agent: ~100 lines against five packages, one of them `debug`, which
 * prints the proxy URL, credentials included, whenever DEBUG is set. Loaded only with the SDK (a miss).
 */
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';

export interface TunnelOptions {
  /** The proxy (http: or https:), credentials in its userinfo if any. */
  proxy: URL;
  /** For messages: the proxy without credentials. */
  display: string;
  /** Bound on the TCP connection to the proxy (past it: ETIMEDOUT, "unreachable"). */
  connectTimeoutMs: number;
  /**
   * Bound on the proxy's answer to CONNECT. Only a cleanup: the attempt's deadline (with-retry.ts), which
   * is shorter, reports a proxy that took the connection and never answered (E_STS_TIMEOUT); this then
   * closes the socket the abandoned request never received.
   */
  answerTimeoutMs: number;
}

/** The proxy refused the tunnel (407 wants credentials, 403 forbids the host...); translated to E_STS_PROXY. */
export class ProxyConnectError extends Error {
  override readonly name = 'ProxyConnectError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const MAX_HEAD = 16 * 1024;

/** botocore's `proxy_headers_for`: Basic credentials only when both user and password are given. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username || !proxy.password) return undefined;
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Opens a socket to the proxy and asks it for a tunnel to host:port; resolves with the tunnel's socket. */
export function openTunnel(options: TunnelOptions, host: string, port: number): Promise<Socket> {
  const { proxy } = options;
  const proxyHost = proxy.hostname.replace(/^\[(.*)\]$/, '$1');
  const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket: Socket =
      proxy.protocol === 'https:'
        ? tlsConnect({ host: proxyHost, port: proxyPort, servername: proxyHost, ALPNProtocols: ['http/1.1'] })
        : netConnect({ host: proxyHost, port: proxyPort });
    // Until the tunnel is handed over, the socket must not keep swrole alive: after a deadline the request is
    // gone and only this socket would be left waiting (the attempt's timer keeps the process up meanwhile).
    socket.unref();
    let head = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.removeListener('data', onData);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEAD) fail(new ProxyConnectError(0, `proxy ${options.display}: answer to CONNECT too long`));
        return;
      }
      socket.removeListener('data', onData);
      socket.removeListener('error', fail);
      socket.removeListener('close', onClose);
      socket.setTimeout(0);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (status !== 200) {
        fail(new ProxyConnectError(status, `proxy ${options.display} refused the tunnel to ${target}: HTTP ${status || 'garbage'}`));
        return;
      }
      // Paused, so no byte is emitted before the new owner (TLS, or a caller) listens; one that came with
      // the answer goes back in front.
      socket.pause();
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      socket.ref();
      resolve(socket);
    };
    const onClose = () => fail(new ProxyConnectError(0, `proxy ${options.display} closed the connection before answering CONNECT`));
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', onClose);
    socket.setTimeout(options.connectTimeoutMs, () =>
      fail(Object.assign(new Error(`proxy ${options.display}: no connection`), { code: 'ETIMEDOUT' })),
    );
    socket.once('connect', () =>
      socket.setTimeout(options.answerTimeoutMs, () =>
        fail(Object.assign(new Error(`proxy ${options.display}: no answer to CONNECT`), { code: 'ECONNABORTED' })),
      ),
    );
    const auth = proxyAuthorization(proxy);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
  });
}

/** An https.Agent whose connections are TLS sessions with the endpoint inside a CONNECT tunnel. */
export class ProxyTunnelAgent extends Agent {
  private readonly tunnel: TunnelOptions;

  constructor(tunnel: TunnelOptions, options: AgentOptions) {
    super(options);
    this.tunnel = tunnel;
  }

  // Node's Agent takes the socket from the callback when createConnection returns nothing (documented).
  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port) || 443;
    openTunnel(this.tunnel, host, port).then(
      (socket) => {
        // options carries servername (SNI and the name checked against the certificate) and this agent's ca.
        const secure = tlsConnect({ ...(options as object), socket, servername: options.servername ?? host });
        callback?.(null, secure);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}
