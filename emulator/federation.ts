// Console federation endpoint (docs/reference/aws-behaviour.md §8, sso-keyring-console.md C.1 and D.1), strictly:
// getSigninToken only for role sessions (AssumeRole*) and GetFederationToken sessions — long-term keys and
// GetSessionToken sessions are refused, as the sign-in service does; SessionDuration 900–43200, never with a
// GetFederationToken session (its console session follows the token's own duration) and at most 3600 for a role
// assumed with temporary credentials (aws-vault#77, teleport#9792: inferred, not measured); the sign-in token lives
// 15 minutes; login answers 302 to an https Destination.
import { randomBytes } from 'node:crypto';
import type { EmulatorState } from './state.js';
import { safeEqual } from './verify-signature.js';

export interface FederationOutcome {
  status: number;
  body: string;
  headers: Record<string, string>;
  action: string;
  callerArn: string | null;
  params: Record<string, string>;
  code: string;
}

const SIGNIN_TOKEN_MS = 15 * 60 * 1000;
/** Roles assumed with temporary credentials: console sessions of at most 1 h. */
const CHAINED_MAX_SECONDS = 3600;
/** What the sign-in service answers to credentials or a SessionDuration it will not take (aws-vault#77). */
const INVALID_CREDENTIALS = 'Invalid credentials parameter';

export function handleFederation(
  state: EmulatorState,
  tokens: Map<string, { expiresMs: number; arn: string }>,
  query: URLSearchParams,
): FederationOutcome {
  const action = query.get('Action') ?? '';
  const fail = (status: number, code: string, message: string, callerArn: string | null = null): FederationOutcome => ({
    status,
    body: `${message}\n`,
    headers: { 'content-type': 'text/plain' },
    action,
    callerArn,
    params: query.has('SessionDuration') ? { SessionDuration: query.get('SessionDuration') ?? '' } : {},
    code,
  });
  if (action === 'getSigninToken') {
    let session: unknown;
    try {
      session = JSON.parse(query.get('Session') ?? '');
    } catch {
      return fail(400, 'InvalidSession', 'Session is not valid JSON');
    }
    const s = session as { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
    if (
      typeof s !== 'object' ||
      s === null ||
      typeof s.sessionId !== 'string' ||
      typeof s.sessionKey !== 'string' ||
      typeof s.sessionToken !== 'string'
    ) {
      return fail(400, 'InvalidSession', 'Session must have sessionId, sessionKey and sessionToken');
    }
    const found = state.sessions.get(s.sessionId);
    if (!found || !safeEqual(found.secret, s.sessionKey) || !safeEqual(found.token, s.sessionToken))
      return fail(400, 'InvalidCredentials', 'The credentials in the session are invalid');
    if (state.now() >= found.expiresMs) return fail(400, 'ExpiredToken', 'The credentials in the session have expired', found.caller.arn);
    if (found.caller.kind !== 'role' && found.caller.kind !== 'web-identity' && found.caller.kind !== 'federated')
      return fail(
        400,
        'InvalidCredentials',
        'Only credentials from AssumeRole* or GetFederationToken can sign in to the console',
        found.caller.arn,
      );
    const duration = query.get('SessionDuration');
    if (duration !== null) {
      if (!(/^\d+$/.test(duration) && +duration >= 900 && +duration <= 43200))
        return fail(400, 'InvalidSessionDuration', 'SessionDuration must be 900..43200', found.caller.arn);
      if (found.caller.kind === 'federated') return fail(400, 'SessionDurationNotAllowed', INVALID_CREDENTIALS, found.caller.arn);
      if (found.caller.assumedWithTemporaryCredentials && +duration > CHAINED_MAX_SECONDS)
        return fail(400, 'SessionDurationTooLong', INVALID_CREDENTIALS, found.caller.arn);
    }
    const token = randomBytes(48).toString('base64url');
    tokens.set(token, { expiresMs: state.now() + SIGNIN_TOKEN_MS, arn: found.caller.arn });
    const params: Record<string, string> = duration === null ? {} : { SessionDuration: duration };
    return {
      status: 200,
      body: JSON.stringify({ SigninToken: token }),
      headers: { 'content-type': 'application/json' },
      action,
      callerArn: found.caller.arn,
      params,
      code: 'OK',
    };
  }
  if (action === 'login') {
    const entry = tokens.get(query.get('SigninToken') ?? '');
    if (!entry || state.now() >= entry.expiresMs) return fail(400, 'InvalidSigninToken', 'The sign-in token is invalid or expired');
    const destination = query.get('Destination') ?? '';
    if (!/^https:\/\/[^/\s]+/.test(destination)) return fail(400, 'InvalidDestination', 'Destination must be an https URL', entry.arn);
    return {
      status: 302,
      body: '',
      headers: { location: destination },
      action,
      callerArn: entry.arn,
      params: { Destination: destination, Issuer: query.get('Issuer') ?? '' },
      code: 'OK',
    };
  }
  return fail(400, 'InvalidAction', `Unknown federation Action "${action}"`);
}
