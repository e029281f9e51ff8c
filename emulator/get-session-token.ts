// GetSessionToken (docs/reference/aws-behaviour.md §6.4): long-term IAM user (or root) keys only (a role, MFA or
// federated session → "Cannot call GetSessionToken with session credentials"); optional MFA by TOTP;
// 900–129600 s, default 43200; root capped silently at 3600.
import type { Caller } from './identity.js';
import { issueSession, renderCredentials, type EmulatorState } from './state.js';
import { MSG, accessDenied } from './sts-error.js';
import { ParamValidator, SERIAL_PATTERN, TOKEN_CODE_PATTERN, type Params } from './validate-params.js';
import { verifyMfa } from './verify-mfa.js';
import type { XmlNode } from './render-xml.js';

export function getSessionToken(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const duration = v.integer('DurationSeconds', 900, 129600);
  const serial = v.string('SerialNumber', { min: 9, max: 256, pattern: SERIAL_PATTERN });
  const code = v.string('TokenCode', { min: 6, max: 6, pattern: TOKEN_CODE_PATTERN });
  v.throwIfAny();
  if (caller.kind !== 'user' && caller.kind !== 'root') throw accessDenied(MSG.sessionTokenWithSession);
  const mfa = verifyMfa(state, caller, serial, code);
  let seconds = duration ?? 43200;
  if (caller.kind === 'root') seconds = Math.min(seconds, 3600);
  const session = issueSession(state, { ...caller, kind: 'session-token', mfa }, seconds);
  return { Credentials: renderCredentials(session) };
}
