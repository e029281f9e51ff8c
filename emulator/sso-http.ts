// The wire shape of IAM Identity Center answers (docs/reference/sso-keyring-console.md A.1): errors carry the
// modeled shape name in x-amzn-ErrorType (clients cut it at ':'), OIDC bodies are OAuth-style, portal bodies
// `{"message"}`.
import { randomUUID } from 'node:crypto';

export interface SsoOutcome {
  status: number;
  body: string;
  headers: Record<string, string>;
  action: string;
  params: Record<string, string>;
  code: string;
}

const OIDC_NS = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';
const PORTAL_NS = 'http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/';

const OAUTH_CODES: Record<string, string> = {
  AuthorizationPendingException: 'authorization_pending',
  SlowDownException: 'slow_down',
  ExpiredTokenException: 'expired_token',
  AccessDeniedException: 'access_denied',
  InvalidGrantException: 'invalid_grant',
  InvalidClientException: 'invalid_client',
  InvalidRequestException: 'invalid_request',
  InvalidScopeException: 'invalid_scope',
  UnauthorizedClientException: 'unauthorized_client',
  UnsupportedGrantTypeException: 'unsupported_grant_type',
  InvalidRedirectUriException: 'invalid_redirect_uri',
  InvalidClientMetadataException: 'invalid_client_metadata',
  InternalServerException: 'server_error',
};

export class SsoServiceError extends Error {
  constructor(
    readonly shape: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const oidcError = (shape: string, message: string, status = shape === 'InvalidClientException' ? 401 : 400) =>
  new SsoServiceError(shape, shape === 'InternalServerException' ? 500 : status, message);

export function renderOidcError(e: SsoServiceError): Pick<SsoOutcome, 'status' | 'body' | 'headers' | 'code'> {
  return {
    status: e.status,
    body: JSON.stringify({ error: OAUTH_CODES[e.shape] ?? 'invalid_request', error_description: e.message }),
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${e.shape}:${OIDC_NS}`, 'x-amzn-requestid': randomUUID() },
    code: e.shape,
  };
}

export function renderPortalError(e: SsoServiceError): Pick<SsoOutcome, 'status' | 'body' | 'headers' | 'code'> {
  return {
    status: e.status,
    body: JSON.stringify({ message: e.message }),
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${e.shape}:${PORTAL_NS}`, 'x-amzn-requestid': randomUUID() },
    code: e.shape,
  };
}

export function jsonOk(value: unknown): Pick<SsoOutcome, 'status' | 'body' | 'headers' | 'code'> {
  return {
    status: 200,
    body: value === undefined ? '' : JSON.stringify(value),
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    code: 'OK',
  };
}

/** A JSON object body, or an InvalidRequestException. */
export function readJsonBody(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw oidcError('InvalidRequestException', 'Invalid request: the body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw oidcError('InvalidRequestException', 'Invalid request');
  return value as Record<string, unknown>;
}
