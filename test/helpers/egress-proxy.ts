// A loopback HTTP proxy for the interop tests. With no routes it is a tripwire: set as HTTPS_PROXY/HTTP_PROXY for
// the real Claude Code binary, it refuses (403) and records every attempt to leave loopback, so a test can assert
// that nothing tried (traffic to loopback goes direct through NO_PROXY). With routes it is the "corporate proxy"
// of the proxy test: `CONNECT host:port` to a routed name is tunnelled to a loopback port, so a name only this proxy
// resolves is reachable only through it. Plain (absolute-form) requests are refused and recorded too.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface EgressProxy {
  url: string;
  /** Every request the proxy saw: `CONNECT host:port` or `METHOD absolute-url`, with what happened. */
  log(): Array<{ request: string; routed: boolean }>;
  /** The attempts it refused (anything not routed). */
  refused(): string[];
  close(): Promise<void>;
}

export async function startEgressProxy(routes: Record<string, { host: string; port: number }> = {}): Promise<EgressProxy> {
  const log: Array<{ request: string; routed: boolean }> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    log.push({ request: `${req.method} ${req.url}`, routed: false });
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('swrole test proxy: only CONNECT to a routed name\n');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    client.on('error', () => undefined);
    const target = routes[(req.url ?? '').toLowerCase()];
    log.push({ request: `CONNECT ${req.url}`, routed: target !== undefined });
    if (target === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(target.port, target.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log: () => log.map((l) => ({ ...l })),
    refused: () => log.filter((l) => !l.routed).map((l) => l.request),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
