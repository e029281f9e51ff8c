import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the browser brought back to the loopback redirect. */
export type CallbackResult =
  { kind: 'code'; code: string } | { kind: 'error'; error: string; description: string } | { kind: 'state' } | { kind: 'timeout' };

export interface CallbackServer {
  /** `http://127.0.0.1:<port>/oauth/callback`: the redirect URI of the authorize request and of CreateToken. */
  redirectUri: string;
  /** The first callback (one only: later ones get 409), checked against `state`; or `timeout`. Closes the server. */
  wait(timeoutMs: number): Promise<CallbackResult>;
  close(): void;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;

/** No caching, no framing, no scripts, no referrer: the page is shown right after a secret crossed the URL. */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'",
  'referrer-policy': 'no-referrer',
};

/**
 * The loopback redirect of the authorization-code flow (RFC 8252 §7.3; docs/reference/sso-keyring-console.md A.4):
 * bound to 127.0.0.1 only (the AWS CLI binds every interface), GET /oauth/callback only, the first callback wins.
 */
export async function startCallbackServer(expected: string): Promise<CallbackServer> {
  let settle: ((result: CallbackResult) => void) | undefined;
  let first: CallbackResult | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/oauth/callback') {
      res.writeHead(404, HEADERS).end(PAGE('Not found', 'This address only receives the IAM Identity Center sign-in.'));
      return;
    }
    if (first !== undefined) {
      res.writeHead(409, HEADERS).end(PAGE('Already used', 'This sign-in was already completed or refused. Return to your terminal.'));
      return;
    }
    const q = url.searchParams;
    if (q.get('state') !== expected) first = { kind: 'state' };
    else if (q.has('error')) first = { kind: 'error', error: q.get('error') ?? '', description: q.get('error_description') ?? '' };
    else if (q.get('code')) first = { kind: 'code', code: q.get('code')! };
    else first = { kind: 'error', error: 'invalid_request', description: 'the callback has neither code nor error' };
    const ok = first.kind === 'code';
    res
      .writeHead(ok ? 200 : 400, HEADERS)
      .end(
        ok
          ? PAGE('Signed in', 'swrole received the sign-in. You can close this window and return to your terminal.')
          : PAGE('Sign-in refused', 'swrole did not accept this sign-in. Return to your terminal.'),
      );
    settle?.(first);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  return {
    redirectUri: `http://127.0.0.1:${port}/oauth/callback`,
    close,
    wait(timeoutMs) {
      return new Promise<CallbackResult>((resolve) => {
        const timer = setTimeout(() => settle?.({ kind: 'timeout' }), timeoutMs);
        settle = (result) => {
          clearTimeout(timer);
          settle = undefined;
          // Let the page reach the browser before the server goes.
          setTimeout(close, 200).unref();
          resolve(result);
        };
        if (first !== undefined) settle(first);
      });
    },
  };
}
