// SSO-OIDC, strictly (docs/reference/sso-keyring-console.md A.2–A.5, D.1 §1): RegisterClient, StartDeviceAuthorization,
// CreateToken (device code, authorization code + PKCE, refresh token with rotation), and the /authorize page that
// redirects the browser to the client's loopback callback.
import { createHash } from 'node:crypto';
import type { EmulatorState } from './state.js';
import { defaultUser, findInstance, issueTokens, opaque, userCode, type SignIn, type SsoClient, type SsoState } from './sso-state.js';
import type { IdentityCenterInstance } from './sso-world.js';
import { jsonOk, oidcError, readJsonBody, renderOidcError, SsoServiceError, type SsoOutcome } from './sso-http.js';

export const OIDC_PATHS: Record<string, string> = {
  'POST /client/register': 'RegisterClient',
  'POST /device_authorization': 'StartDeviceAuthorization',
  'POST /token': 'CreateToken',
  'GET /authorize': 'Authorize',
};

const GRANTS = new Set(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']);
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CODE_SECONDS = 300;
const DEVICE_SECONDS = 600;
const LOOPBACK_CALLBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?\/oauth\/callback$/;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const texts = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

function client(s: SsoState, id: unknown, secret: unknown, now: number): [string, SsoClient] {
  const found = typeof id === 'string' ? s.clients.get(id) : undefined;
  if (!found || found.secret !== secret) throw oidcError('InvalidClientException', 'Invalid client provided');
  if (now >= found.expiresMs) throw oidcError('InvalidClientException', 'Client credentials have expired');
  return [id as string, found];
}

function register(state: EmulatorState, s: SsoState, body: Record<string, unknown>, params: Record<string, string>) {
  const name = text(body.clientName);
  params.clientName = name ?? '';
  if (!name || body.clientType !== 'public')
    throw oidcError('InvalidRequestException', 'Invalid request: clientName and clientType "public" are required');
  const scopes = texts(body.scopes) ?? [];
  const grantTypes = texts(body.grantTypes) ?? [];
  const redirectUris = texts(body.redirectUris) ?? [];
  if (scopes.length) params.scopes = scopes.join(' ');
  if (grantTypes.length) params.grantTypes = grantTypes.join(' ');
  if (redirectUris.length) params.redirectUris = redirectUris.join(' ');
  if (body.issuerUrl !== undefined) params.issuerUrl = String(body.issuerUrl);
  for (const g of grantTypes) if (!GRANTS.has(g)) throw oidcError('InvalidClientMetadataException', `Invalid grant type: ${g}`);
  let instance: IdentityCenterInstance | undefined;
  if (grantTypes.includes('authorization_code')) {
    // The redirect URI is registered without a port (RFC 8252 §7.3); the authorize call adds one.
    if (redirectUris.length !== 1 || !/^http:\/\/(127\.0\.0\.1|localhost)\/oauth\/callback$/.test(redirectUris[0]!))
      throw oidcError('InvalidRedirectUriException', 'Invalid redirect URI: register http://127.0.0.1/oauth/callback');
    instance = findInstance(state.world, String(body.issuerUrl ?? ''));
    if (!instance) throw oidcError('InvalidRequestException', 'Invalid request: issuerUrl is not an Identity Center instance');
  }
  const allowed = new Set(state.world.identityCenter?.instances.flatMap((i) => i.allowedScopes ?? ['sso:account:access']) ?? []);
  for (const scope of scopes) if (!allowed.has(scope)) throw oidcError('InvalidScopeException', `Invalid scope: ${scope}`);
  const now = state.now();
  const seconds = state.world.identityCenter?.instances[0]?.clientSecretSeconds ?? 90 * 86_400;
  const clientId = opaque('cid-', 12);
  const secret = opaque('cs-', 48);
  const expiresMs = Math.floor(now / 1000) * 1000 + seconds * 1000;
  s.clients.set(clientId, { secret, expiresMs, scopes, grantTypes, redirectUris, ...(instance ? { instance } : {}) });
  return jsonOk({
    clientId,
    clientSecret: secret,
    clientIdIssuedAt: Math.floor(now / 1000),
    clientSecretExpiresAt: Math.floor(expiresMs / 1000),
  });
}

function startDevice(state: EmulatorState, s: SsoState, body: Record<string, unknown>, params: Record<string, string>) {
  const now = state.now();
  const [clientId] = client(s, body.clientId, body.clientSecret, now);
  params.startUrl = String(body.startUrl ?? '');
  const instance = findInstance(state.world, params.startUrl);
  if (!instance) throw oidcError('InvalidRequestException', 'Invalid request');
  const deviceCode = opaque('dc-', 32);
  const code = userCode();
  const interval = instance.deviceInterval ?? 1;
  s.devices.set(deviceCode, {
    clientId,
    instance,
    userCode: code,
    expiresMs: now + DEVICE_SECONDS * 1000,
    intervalSeconds: interval,
    status: 'pending',
    polls: 0,
  });
  const page = `https://device.sso.${instance.region}.amazonaws.com/`;
  return jsonOk({
    deviceCode,
    userCode: code,
    verificationUri: page,
    verificationUriComplete: `${page}?user_code=${code}`,
    expiresIn: DEVICE_SECONDS,
    interval,
  });
}

function grantDevice(state: EmulatorState, s: SsoState, clientId: string, c: SsoClient, body: Record<string, unknown>) {
  const now = state.now();
  const grant = typeof body.deviceCode === 'string' ? s.devices.get(body.deviceCode) : undefined;
  if (!grant || grant.clientId !== clientId) throw oidcError('InvalidGrantException', 'Invalid device code provided');
  if (grant.status === 'used') throw oidcError('InvalidGrantException', 'Device code has already been used');
  if (now >= grant.expiresMs) throw oidcError('ExpiredTokenException', 'Device code has expired');
  if (grant.status === 'denied') throw oidcError('AccessDeniedException', 'Access denied');
  grant.polls += 1;
  if (grant.status === 'pending') {
    const tooFast = grant.lastPollMs !== undefined && now - grant.lastPollMs < grant.intervalSeconds * 1000 - 50;
    grant.lastPollMs = now;
    if (tooFast) throw oidcError('SlowDownException', 'Client is polling too fast');
    const approval = grant.instance.approval ?? 'auto';
    if (approval === 'deny') grant.status = 'denied';
    else if (approval === 'auto' && grant.polls >= 2) Object.assign(grant, { status: 'approved', user: defaultUser(grant.instance) });
    if (grant.status === 'denied') throw oidcError('AccessDeniedException', 'Access denied');
    if (grant.status === 'pending') throw oidcError('AuthorizationPendingException', 'Authorization is still pending');
  }
  grant.status = 'used';
  return signIn(state, s, grant.instance, grant.user ?? defaultUser(grant.instance), clientId, c);
}

function signIn(state: EmulatorState, s: SsoState, instance: IdentityCenterInstance, user: string, clientId: string, c: SsoClient) {
  const now = state.now();
  // Only clients registered with scopes (or the refresh grant) get refresh tokens (ByteNess#445, SDK docs "legacy").
  const refreshable = c.scopes.length > 0 || c.grantTypes.includes('refresh_token');
  const session: SignIn = {
    instance,
    user,
    clientId,
    endsMs: now + (instance.sessionSeconds ?? 28_800) * 1000,
    loggedOut: false,
    refreshable,
  };
  return jsonOk(issueTokens(s, session, now));
}

function grantCode(state: EmulatorState, s: SsoState, clientId: string, c: SsoClient, body: Record<string, unknown>) {
  if (!c.grantTypes.includes('authorization_code'))
    throw oidcError('UnauthorizedClientException', 'Client is not authorized for this grant');
  const code = typeof body.code === 'string' ? s.codes.get(body.code) : undefined;
  if (!code || code.clientId !== clientId || code.used) throw oidcError('InvalidGrantException', 'Invalid authorization code provided');
  code.used = true;
  if (state.now() >= code.expiresMs) throw oidcError('InvalidGrantException', 'Authorization code has expired');
  if (body.redirectUri !== code.redirectUri) throw oidcError('InvalidGrantException', 'Invalid redirect URI provided');
  const verifier = typeof body.codeVerifier === 'string' ? body.codeVerifier : '';
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
    throw oidcError('InvalidGrantException', 'Invalid code verifier provided');
  return signIn(state, s, code.instance, code.user, clientId, c);
}

function grantRefresh(state: EmulatorState, s: SsoState, clientId: string, c: SsoClient, body: Record<string, unknown>) {
  if (c.scopes.length === 0 && !c.grantTypes.includes('refresh_token'))
    throw oidcError('UnauthorizedClientException', 'Client is not authorized for this grant');
  const now = state.now();
  const token = typeof body.refreshToken === 'string' ? s.refreshTokens.get(body.refreshToken) : undefined;
  const invalid = () => oidcError('InvalidGrantException', 'Invalid refresh token provided');
  if (!token || token.signIn.clientId !== clientId || token.signIn.loggedOut || now >= token.signIn.endsMs) throw invalid();
  const grace = (token.signIn.instance.refreshGraceSeconds ?? 0) * 1000;
  if (token.usedMs !== undefined && now - token.usedMs >= grace) throw invalid();
  token.usedMs ??= now;
  return jsonOk(issueTokens(s, token.signIn, now));
}

function createToken(state: EmulatorState, s: SsoState, body: Record<string, unknown>, params: Record<string, string>) {
  params.grantType = String(body.grantType ?? '');
  if (typeof body.redirectUri === 'string') params.redirectUri = body.redirectUri;
  const [clientId, c] = client(s, body.clientId, body.clientSecret, state.now());
  switch (body.grantType) {
    case DEVICE_GRANT:
      return grantDevice(state, s, clientId, c, body);
    case 'authorization_code':
      return grantCode(state, s, clientId, c, body);
    case 'refresh_token':
      return grantRefresh(state, s, clientId, c, body);
    default:
      throw oidcError('UnsupportedGrantTypeException', 'Unsupported grant type');
  }
}

/** GET /authorize: validates the request, then redirects the browser to the loopback callback (auto) or with an error (deny). */
function authorize(
  state: EmulatorState,
  s: SsoState,
  query: URLSearchParams,
  params: Record<string, string>,
): Omit<SsoOutcome, 'action' | 'params'> {
  const get = (k: string) => query.get(k) ?? '';
  params.redirectUri = get('redirect_uri');
  const page = (status: number, message: string, code: string) => ({
    status,
    body: `${message}\n`,
    headers: { 'content-type': 'text/plain' },
    code,
  });
  const c = s.clients.get(get('client_id'));
  if (get('response_type') !== 'code') return page(400, 'unsupported response_type', 'InvalidRequestException');
  if (!c || state.now() >= c.expiresMs || !c.instance) return page(400, 'invalid client_id', 'InvalidClientException');
  if (!LOOPBACK_CALLBACK.test(get('redirect_uri'))) return page(400, 'invalid redirect_uri', 'InvalidRedirectUriException');
  if (get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(get('code_challenge')))
    return page(400, 'PKCE with S256 is required', 'InvalidRequestException');
  if (get('state') === '' || (get('scopes') === '' && get('scope') === ''))
    return page(400, 'state and scopes are required', 'InvalidRequestException');
  const callback = new URL(get('redirect_uri'));
  const approval = c.instance.approval ?? 'auto';
  if (approval === 'deny') {
    callback.search = new URLSearchParams({
      error: 'access_denied',
      error_description: 'The user denied access',
      state: get('state'),
    }).toString();
  } else {
    const code = opaque('code-', 24);
    s.codes.set(code, {
      clientId: get('client_id'),
      redirectUri: get('redirect_uri'),
      challenge: get('code_challenge'),
      expiresMs: state.now() + CODE_SECONDS * 1000,
      instance: c.instance,
      user: defaultUser(c.instance),
      used: false,
    });
    callback.search = new URLSearchParams({ code, state: get('state') }).toString();
  }
  return { status: 302, body: '', headers: { location: callback.toString() }, code: approval === 'deny' ? 'AccessDenied' : 'OK' };
}

export function handleOidc(state: EmulatorState, s: SsoState, route: string, query: URLSearchParams, body: string): SsoOutcome {
  const action = OIDC_PATHS[route] ?? 'Unknown';
  const params: Record<string, string> = {};
  try {
    if (action === 'Authorize') return { action, params, ...authorize(state, s, query, params) };
    if (query.has('aws_iam')) throw oidcError('InvalidRequestException', 'Invalid request');
    const json = readJsonBody(body);
    const out =
      action === 'RegisterClient'
        ? register(state, s, json, params)
        : action === 'StartDeviceAuthorization'
          ? startDevice(state, s, json, params)
          : createToken(state, s, json, params);
    return { action, params, ...out };
  } catch (error) {
    if (!(error instanceof SsoServiceError)) throw error;
    return { action, params, ...renderOidcError(error) };
  }
}
