import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SwroleError } from '../errors.js';
import { checkRequest } from './check-request.js';
import { renderContainerCredentials, renderContainerError } from './container-response.js';
import type { Answer } from './refresh-ahead.js';

export interface CredentialServerOptions {
  /** The credentials (or why there are none) for one request; must answer within the clients' 1 s. */
  answer: () => Promise<Answer>;
  /** 0: any free port. */
  port: number;
  /** --debug lines: method, status, reason, time. Never a header value, the path or a credential. */
  debug: (message: string) => void;
}

export interface CredentialServer {
  /** `http://127.0.0.1:<port>/<random>/credentials`, for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  url: string;
  /** For AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  token: string;
  port: number;
  /** Stops listening, drops kept-alive connections (the port is free once this resolves). */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function send(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    // Credentials are never cached by anything in between.
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(body);
}

/**
 * The loopback container-credentials endpoint (docs/reference/sso-keyring-console.md C.2, C.3): one random path,
 * a fresh 32-byte token, 127.0.0.1 only. Every request is checked (check-request.ts) before `answer` is asked;
 * answers come from memory, so a client's 1–2 s timeout is never at risk from the upstream.
 */
export async function startCredentialServer(options: CredentialServerOptions): Promise<CredentialServer> {
  const token = randomBytes(32).toString('base64url');
  const path = `/${randomBytes(16).toString('base64url')}/credentials`;
  const sockets = new Set<Socket>();
  let expectedHost = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? '';
    // A request body is never read: drain it so the connection stays usable.
    req.resume();
    const refusal = checkRequest(
      {
        method,
        url: req.url ?? '',
        host: req.headers.host,
        authorization: req.headers.authorization,
        remoteAddress: req.socket.remoteAddress,
      },
      { host: expectedHost, path, token },
    );
    if (refusal) {
      const code = refusal.status === 403 ? 'AccessDenied' : refusal.status === 404 ? 'NotFound' : 'MethodNotAllowed';
      send(res, refusal.status, renderContainerError(code, refusal.message), refusal.status === 405 ? { allow: 'GET' } : {});
      options.debug(`server: ${method} → ${refusal.status} (${refusal.reason})`);
      return;
    }
    const answer = await options.answer();
    if (answer.ok) {
      send(res, 200, renderContainerCredentials(answer.held.credentials, answer.held.expiresAtMs));
    } else {
      send(res, answer.status, renderContainerError(answer.code, answer.message));
    }
    options.debug(`server: GET → ${answer.ok ? 200 : answer.status} in ${(performance.now() - started).toFixed(1)} ms`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.debug(`server: internal error: ${error instanceof Error ? error.name : 'error'}`);
      if (!res.headersSent) send(res, 500, renderContainerError('InternalError', 'swrole: internal error (run with --debug)'));
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new SwroleError('E_SERVER_LISTEN', `cannot listen on ${HOST}:${options.port} (${error.code ?? error.message})`, {
          hint:
            error.code === 'EADDRINUSE' ? 'another program uses that port: pick another --port, or leave it out for a free one' : undefined,
          cause: error,
        }),
      );
    });
    server.listen({ port: options.port, host: HOST, exclusive: true }, () => resolve());
  });
  // After the listen, an error (too many open files on accept) must not take the process down with an unhandled event.
  server.on('error', (error: NodeJS.ErrnoException) => options.debug(`server: ${error.code ?? error.message}`));
  const { port } = server.address() as AddressInfo;
  expectedHost = `${HOST}:${port}`;
  return {
    url: `http://${HOST}:${port}${path}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
