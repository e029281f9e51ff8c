// Loopback servers that misbehave the way broken endpoints and proxies do (issue 15): one accepts and never
// answers; the others answer one byte at a time, so no idle timeout ever fires. Raw TCP, no HTTP library.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type StallMode =
  /** Accepts, reads the request, never writes a byte. */
  | 'stall'
  /** Trickles the status line and headers, one byte per interval: the response never starts. */
  | 'trickle-headers'
  /** Sends complete headers at once, then the body one byte per interval: the response never ends. */
  | 'trickle-body';

export interface StallingServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const BODY = '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'.padEnd(4000, ' ');
const HEADERS = `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${BODY.length}\r\n\r\n`;

function trickle(socket: Socket, text: string, intervalMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) clearInterval(timer);
    else socket.write(text[at++]!);
  }, intervalMs);
  socket.on('close', () => clearInterval(timer));
}

export async function startStallingServer(mode: StallMode, intervalMs = 2000): Promise<StallingServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let started = false;
    socket.on('data', () => {
      if (started) return;
      started = true;
      if (mode === 'trickle-headers') trickle(socket, HEADERS + BODY, intervalMs);
      if (mode === 'trickle-body') {
        socket.write(HEADERS);
        trickle(socket, BODY, intervalMs);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
