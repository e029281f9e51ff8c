// openTunnel (src/sts/proxy-tunnel-agent.ts) against raw loopback "proxies" that answer CONNECT in each way a
// real one can: the request it sends (target, Basic credentials as botocore builds them), and what it makes
// of 200 with bytes already following, 407, garbage, a hang-up, and nobody listening.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { openTunnel, ProxyConnectError, proxyAuthorization } from '../../src/sts/proxy-tunnel-agent.js';

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

/** A proxy that records the CONNECT head it receives and answers with `reply` (or hangs up when null). */
async function fakeProxy(reply: string | null): Promise<{ url: URL; heads: string[] }> {
  const heads: string[] = [];
  const server = createServer((socket: Socket) => {
    let head = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      heads.push(head);
      if (reply === null) socket.destroy();
      else socket.write(reply);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), heads };
}

const options = (proxy: URL) => ({ proxy, display: `http://${proxy.host}`, connectTimeoutMs: 2000, answerTimeoutMs: 2000 });

describe('openTunnel', () => {
  it('sends CONNECT host:port with Host, and hands over bytes that arrived with the 200', async () => {
    const { url, heads } = await fakeProxy('HTTP/1.1 200 Connection Established\r\nVia: test\r\n\r\nEARLY');
    const socket = await openTunnel(options(url), 'sts.eu-west-1.amazonaws.com', 443);
    // Handed over paused: nothing is emitted until the new owner reads.
    assert.equal(socket.isPaused(), true);
    const first = await new Promise<string>((resolve) => socket.once('data', (c: Buffer) => resolve(c.toString())).resume());
    socket.destroy();
    assert.equal(first, 'EARLY');
    assert.equal(heads[0], 'CONNECT sts.eu-west-1.amazonaws.com:443 HTTP/1.1\r\nHost: sts.eu-west-1.amazonaws.com:443\r\n\r\n');
  });

  it('sends Basic credentials from the proxy URL, percent-decoded', async () => {
    const { url, heads } = await fakeProxy('HTTP/1.0 200 OK\r\n\r\n');
    url.username = 'dom%5Cuser';
    url.password = 'p%40ss%3Aword';
    (await openTunnel(options(url), '::1', 8443)).destroy();
    assert.match(heads[0] ?? '', /^CONNECT \[::1\]:8443 HTTP\/1\.1\r\n/);
    assert.ok(heads[0]?.includes(`Proxy-Authorization: Basic ${Buffer.from('dom\\user:p@ss:word').toString('base64')}\r\n`));
  });

  const rows: Array<[string, string | null, number]> = [
    ['407 asks for credentials', 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n', 407],
    ['403 forbids the host', 'HTTP/1.1 403 Forbidden\r\n\r\n', 403],
    ['garbage instead of HTTP', 'SSH-2.0-OpenSSH\r\n\r\n', 0],
    ['hang-up before answering', null, 0],
  ];
  for (const [name, reply, status] of rows) {
    it(`${name} → ProxyConnectError ${status}`, async () => {
      const { url } = await fakeProxy(reply);
      await assert.rejects(openTunnel(options(url), 'sts.amazonaws.com', 443), (e: unknown) => {
        assert.ok(e instanceof ProxyConnectError);
        assert.equal(e.status, status);
        return true;
      });
    });
  }

  it('nobody listening → ECONNREFUSED (E_STS_UNREACHABLE once translated)', async () => {
    const { url } = await fakeProxy(null);
    const closing = servers.pop()!;
    await new Promise<void>((resolve) => closing.close(() => resolve()));
    await assert.rejects(openTunnel(options(url), 'sts.amazonaws.com', 443), { code: 'ECONNREFUSED' });
  });

  it('proxyAuthorization needs both user and password (botocore proxy_headers_for)', () => {
    assert.equal(proxyAuthorization(new URL('http://user@proxy:1')), undefined);
    assert.equal(proxyAuthorization(new URL('http://proxy:1')), undefined);
    assert.equal(proxyAuthorization(new URL('http://u:p@proxy:1')), `Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
