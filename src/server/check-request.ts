import { constantTimeEqual } from './constant-time-equal.js';

/** What the server knows of a request before answering it (headers as Node gives them: lower-case names). */
export interface IncomingRequest {
  method: string;
  /** The request target (`/path?query`). */
  url: string;
  host: string | undefined;
  authorization: string | undefined;
  remoteAddress: string | undefined;
}

/** What a request must match: the one host, path and token this server handed out. */
export interface Expected {
  host: string;
  path: string;
  token: string;
}

export interface Refusal {
  status: 403 | 404 | 405;
  /** Stable reason, for --debug (never the presented values). */
  reason: 'not-loopback' | 'host' | 'method' | 'token' | 'path';
  message: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::ffff:127.0.0.1']);

/**
 * PURE: whether a request may have credentials (docs/reference/sso-keyring-console.md C.3, swrole's server spec).
 * In this order, so that nothing about the token or the path can be probed without passing the checks before it:
 * - the peer is loopback (the socket is bound to 127.0.0.1; this is defence in depth);
 * - Host is exactly `127.0.0.1:<port>`: a web page that rebinds its DNS name to 127.0.0.1 sends its own name (403);
 * - GET only (405): clients only GET, and a browser cannot send a cross-origin GET with an Authorization header
 *   without a CORS preflight (OPTIONS), which gets 405 and no CORS headers;
 * - the Authorization header equals the token, compared in constant time (403);
 * - the path is the random one handed out (404).
 */
export function checkRequest(request: IncomingRequest, expected: Expected): Refusal | undefined {
  if (!LOOPBACK.has(request.remoteAddress ?? '')) return { status: 403, reason: 'not-loopback', message: 'loopback clients only' };
  if (request.host !== expected.host) return { status: 403, reason: 'host', message: 'unexpected Host header' };
  if (request.method !== 'GET') return { status: 405, reason: 'method', message: 'only GET is allowed' };
  if (!constantTimeEqual(request.authorization ?? '', expected.token)) {
    return { status: 403, reason: 'token', message: 'invalid Authorization token' };
  }
  const path = request.url.split('?')[0];
  if (path !== expected.path) return { status: 404, reason: 'path', message: 'not found' };
  return undefined;
}
