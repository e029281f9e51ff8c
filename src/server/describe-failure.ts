import { isSwroleError, type ErrorCode } from '../errors.js';
import type { Failure } from './refresh-ahead.js';

/**
 * Upstream failures that only a person can fix: an MFA code is needed (no MFA session, or it expired), or STS says
 * the MFA session is no longer valid. The server never prompts (a client waits at most 1–2 s, and the terminal
 * belongs to the child); it answers 503 at once and tells the client's user what to run.
 */
const NEEDS_HUMAN: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['E_MFA_REQUIRED', 'E_MFA_PROCESS', 'E_TOKEN_EXPIRED']);

/** An upstream error as the client sees it: `{"Code","Message"}` with the swrole message and its hint (never secrets). */
export function describeFailure(error: unknown): Failure {
  if (isSwroleError(error)) {
    const message = `swrole: ${error.message}${error.hint ? ` (${error.hint})` : ''}`;
    if (NEEDS_HUMAN.has(error.code)) return { status: 503, code: 'CredentialsUnavailable', message, needsHuman: true };
    return { status: 503, code: 'CredentialsUnavailable', message, needsHuman: false };
  }
  return {
    status: 500,
    code: 'InternalError',
    message: 'swrole: unexpected error while refreshing the credentials (run swrole with --debug)',
    needsHuman: false,
  };
}
