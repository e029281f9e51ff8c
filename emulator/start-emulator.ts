// The strict local STS: STS Query protocol on `/`, console federation on `/federation`, test
// controls on `/__emulator/`. Binds 127.0.0.1 only and refuses non-loopback peers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { faultError, takeFault, type Fault } from './faults.js';
import { handleControl, type Controls } from './controls.js';
import { handleFederation } from './federation.js';
import { handleSts, readParams, loggableParams } from './handle-sts.js';
import { handleIam, IAM_VERSION } from './handle-iam.js';
import { IAM_NAMESPACE, renderError, STS_NAMESPACE } from './render-xml.js';
import { createState } from './state.js';
import { parseWorld, type World } from './world.js';
import type { CallRecord } from './call-record.js';
import { randomUUID } from 'node:crypto';
import { createSsoState, clearSsoState } from './sso-state.js';
import { handleOidc, OIDC_PATHS } from './sso-oidc.js';
import { handlePortal, PORTAL_PATHS } from './sso-portal.js';
import { renderOidcError, renderPortalError, SsoServiceError, type SsoOutcome } from './sso-http.js';

export type { CallRecord } from './call-record.js';
export type { Fault } from './faults.js';
export type { World } from './world.js';

export interface EmulatorHandle {
  url: string;
  calls(): CallRecord[];
  counts(): Record<string, number>;
  now(): number;
  advance(seconds: number): void;
  inject(fault: Fault): void;
  reset(): void;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  world: World;
  port?: number;
  clock?: () => number;
  onCall?: (call: CallRecord) => void;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP: for CA-bundle and CONNECT-proxy tests. */
  tls?: { key: string; cert: string };
}

const MAX_BODY = 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) resolve(null);
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  // A copy: IAM calls change it (new and deleted access keys), and the caller's world object stays as given.
  const world = structuredClone(parseWorld(options.world));
  const base = options.clock ?? Date.now;
  let offsetMs = 0;
  const state = createState(world, () => base() + offsetMs);
  let calls: CallRecord[] = [];
  let counts: Record<string, number> = {};
  let faults: Fault[] = [];
  const signinTokens = new Map<string, { expiresMs: number; arn: string }>();
  const sockets = new Set<Socket>();
  const sso = createSsoState();
  let held: Array<() => void> = [];

  const record = (r: Omit<CallRecord, 'time'>) => {
    const call = { time: new Date(state.now()).toISOString(), ...r };
    calls.push(call);
    counts[r.action] = (counts[r.action] ?? 0) + 1;
    options.onCall?.(call);
  };
  const controls: Controls = {
    state,
    calls: () => calls.map((c) => structuredClone(c)),
    counts: () => ({ ...counts }),
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
    inject: (fault) => {
      faults.push({ ...fault });
    },
    reset: () => {
      calls = [];
      counts = {};
      faults = [];
      state.sessions.clear();
      state.usedMfaSteps.clear();
      signinTokens.clear();
      clearSsoState(sso);
    },
    sso: {
      sso,
      held: () => held.length,
      release: () => {
        const waiting = held;
        held = [];
        for (const go of waiting) go();
        return waiting.length;
      },
    },
  };

  /** IAM Identity Center: SSO-OIDC and the access portal, on the same port (routed by method and path). */
  async function serveSso(req: IncomingMessage, res: ServerResponse, route: string, url: URL, body: string): Promise<void> {
    const oidc = Object.hasOwn(OIDC_PATHS, route);
    const action = oidc ? OIDC_PATHS[route]! : PORTAL_PATHS[route]!;
    const fault = takeFault(faults, action);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.hold) await new Promise<void>((resolve) => held.push(resolve));
    let out: SsoOutcome;
    if (fault?.drop) {
      record({ action, callerArn: null, params: {}, code: 'DROPPED', status: 0 });
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const error =
        fault.status === 429
          ? new SsoServiceError(oidc ? 'SlowDownException' : 'TooManyRequestsException', oidc ? 400 : 429, 'Rate exceeded')
          : new SsoServiceError('InternalServerException', fault.status, 'An internal error has occurred');
      out = { action, params: {}, ...(oidc ? renderOidcError(error) : renderPortalError(error)) };
    } else if (oidc) out = handleOidc(state, sso, route, url.searchParams, body);
    else out = handlePortal(state, sso, route, url.searchParams, req.headers);
    record({ action: out.action, callerArn: null, params: out.params, code: out.code, status: out.status });
    send(res, out.status, out.body, out.headers);
  }

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string>) => {
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)), date: new Date(state.now()).toUTCString() });
    res.end(body);
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__emulator/')) {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      const signed = req.headers.authorization !== undefined || req.headers['x-amz-security-token'] !== undefined;
      if (signed || !['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
        send(res, 403, JSON.stringify({ error: 'controls are unsigned and loopback-only' }), { 'content-type': 'application/json' });
        return;
      }
      const out = handleControl(controls, method, url.pathname, url.searchParams, body?.toString('utf8') ?? '');
      // Controls are rare and often follow a long synchronous step in the caller (spawnSync of the aws CLI),
      // during which this server may time out an idle kept-alive socket unseen by the caller's event loop;
      // closing after each control answer means fetch() never reuses a socket the server already dropped.
      send(res, out.status, JSON.stringify(out.body), { 'content-type': 'application/json', connection: 'close' });
      return;
    }
    const route = `${method} ${url.pathname}`;
    if (Object.hasOwn(OIDC_PATHS, route) || Object.hasOwn(PORTAL_PATHS, route)) {
      await serveSso(req, res, route, url, body?.toString('utf8') ?? '');
      return;
    }
    if (url.pathname === '/federation' && method === 'GET') {
      const out = handleFederation(state, signinTokens, url.searchParams);
      record({ action: out.action, callerArn: out.callerArn, params: out.params, code: out.code, status: out.status });
      send(res, out.status, out.body, out.headers);
      return;
    }
    const requestId = randomUUID();
    const xmlHeaders = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
    if (body === null || (method !== 'POST' && method !== 'GET') || url.pathname !== '/') {
      send(res, 404, '<UnknownOperationException/>\n', xmlHeaders);
      return;
    }
    const request = { method, path: url.pathname, rawQuery, headers: req.headers, body };
    const parsed = readParams(request);
    const action = parsed?.Action ?? '(none)';
    // One port for STS and IAM, told apart by the Query API version (IAM is its own service and namespace).
    const iam = parsed?.Version === IAM_VERSION;
    const namespace = iam ? IAM_NAMESPACE : STS_NAMESPACE;
    const fault = takeFault(faults, action);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      const params = loggableParams(parsed ?? {});
      if (fault.drop) {
        record({ action, callerArn: null, params, code: 'DROPPED', status: 0 });
        req.socket.destroy();
        return;
      }
      if (fault.malformed) {
        record({ action, callerArn: null, params, code: 'MALFORMED', status: 200 });
        send(res, 200, `<${action}Response xmlns="${namespace}">\n  <${action}Result>\n    <Cred`, xmlHeaders);
        return;
      }
      const error = faultError(fault);
      if (error) {
        record({ action, callerArn: null, params, code: error.code, status: error.status });
        send(res, error.status, renderError(error, requestId, namespace), xmlHeaders);
        return;
      }
    }
    const out = iam && parsed ? handleIam(state, request, parsed, requestId) : handleSts(state, request, parsed, requestId);
    record({
      action: out.action,
      callerArn: out.callerArn,
      ...(out.callerKeyId ? { callerKeyId: out.callerKeyId } : {}),
      params: out.params,
      code: out.code,
      status: out.status,
      ...(out.issued ? { issued: out.issued } : {}),
    });
    send(res, out.status, out.body, xmlHeaders);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch((error: unknown) => {
      // A bug in the emulator: answer 500 without details (never echo request material).
      process.stderr.write(`emulator: internal error: ${(error as Error).name}: ${(error as Error).message}\n`);
      if (!res.headersSent)
        send(res, 500, renderError(faultError({ status: 500 })!, randomUUID()), {
          'content-type': 'text/xml',
          'x-amzn-requestid': randomUUID(),
        });
      else res.destroy();
    });
  };
  const server = options.tls
    ? createTlsServer({ keepAlive: true, key: options.tls.key, cert: options.tls.cert }, handler)
    : createServer({ keepAlive: true }, handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    calls: controls.calls,
    counts: controls.counts,
    now: state.now,
    advance: controls.advance,
    inject: controls.inject,
    reset: controls.reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
