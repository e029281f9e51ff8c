// A real HTTP proxy on loopback, written for the tests (issue 9 §6): CONNECT tunnels (https endpoints) and
// absolute-form forwarding (http endpoints), optional Basic credentials, and its own name table: hostnames
// that do not resolve anywhere else (sts.proxy-only.test) reach the emulator only through it. It records
// every request, so a test can prove the proxy was used (or was not).
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyLogEntry {
  method: 'CONNECT' | 'FORWARD';
  /** host:port asked for. */
  target: string;
  /** The HTTP status the proxy answered with (200 for a tunnel it opened). */
  status: number;
}

export interface TestProxy {
  url: string;
  port: number;
  log: ProxyLogEntry[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** hostname → address the proxy connects to (the port is kept); unlisted names fail with 502. */
  hosts: Record<string, string>;
  /** Require Proxy-Authorization: Basic user:password (else 407). */
  auth?: { user: string; password: string };
}

function authorized(req: IncomingMessage, options: TestProxyOptions): boolean {
  if (!options.auth) return true;
  const expected = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
  return req.headers['proxy-authorization'] === expected;
}

function splitTarget(target: string): { host: string; port: number } {
  const match = /^\[?([^\]]*)\]?:(\d+)$/.exec(target);
  return match ? { host: match[1]!, port: Number(match[2]) } : { host: target, port: 80 };
}

export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    // Absolute-form request: http://host:port/path
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const target = `${url.hostname}:${url.port || 80}`;
    const answer = (status: number, headers: Record<string, string> = {}) => {
      log.push({ method: 'FORWARD', target, status });
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close', ...headers }).end(`proxy: ${status}\n`);
    };
    if (!authorized(req, options)) return answer(407, { 'proxy-authenticate': 'Basic realm="test"' });
    const address = options.hosts[url.hostname];
    if (address === undefined) return answer(502);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: address, port: Number(url.port || 80), method: req.method, path: `${url.pathname}${url.search}`, headers },
      (up) => {
        log.push({ method: 'FORWARD', target, status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : answer(502)));
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const target = req.url ?? '';
    const refuse = (status: number, extra = '') => {
      log.push({ method: 'CONNECT', target, status });
      client.end(`HTTP/1.1 ${status} Refused\r\n${extra}Content-Length: 0\r\n\r\n`);
    };
    if (!authorized(req, options)) return refuse(407, 'Proxy-Authenticate: Basic realm="test"\r\n');
    const { host, port } = splitTarget(target);
    const address = options.hosts[host];
    if (address === undefined) return refuse(502);
    const upstream = connect(port, address, () => {
      log.push({ method: 'CONNECT', target, status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
