import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import { renderSigninTokenUrl } from './login-url.js';

/** The sign-in service answers in well under a second; never hang a person (or an agent) on it. */
export const SIGNIN_TIMEOUT_MS = 10_000;

export interface SigninTokenRequest {
  federation: string;
  credentials: Credentials;
  sessionDurationSeconds: number | undefined;
  /** For messages. */
  profile: string;
  timeoutMs?: number;
}

function failed(request: SigninTokenRequest, why: string, cause?: unknown): SwroleError {
  return new SwroleError('E_CONSOLE_SIGNIN', `profile "${request.profile}": the AWS sign-in service refused or did not answer: ${why}`, {
    hint:
      'the federation endpoint accepts role sessions and GetFederationToken sessions only; check the network (HTTPS_PROXY is not ' +
      'used for this call yet) and try again, or run with --debug',
    cause,
  });
}

/**
 * getSigninToken (docs/reference/aws-behaviour.md §8 step 2): GET, as aws-vault and the AWS example do, bounded in
 * time. The request carries the session's secret; the answer's token is a bearer secret: neither is ever logged.
 */
export async function requestSigninToken(request: SigninTokenRequest): Promise<string> {
  const url = renderSigninTokenUrl(request.federation, request.credentials, request.sessionDurationSeconds);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(request.timeoutMs ?? SIGNIN_TIMEOUT_MS) });
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const why =
      name === 'TimeoutError' ? `no answer within ${(request.timeoutMs ?? SIGNIN_TIMEOUT_MS) / 1000} s` : String(code ?? name ?? 'error');
    throw failed(request, `${why} (${new URL(request.federation).host})`, error);
  }
  if (response.status !== 200) {
    // The service's error bodies are short fixed texts ("Invalid credentials parameter"): safe to show, first line only.
    const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
    throw failed(request, `HTTP ${response.status}${first ? `: ${first.trim().slice(0, 200)}` : ''}`);
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { SigninToken?: unknown }).SigninToken;
  } catch (error) {
    throw failed(request, 'the answer is not JSON', error);
  }
  if (typeof token !== 'string' || token === '') throw failed(request, 'the answer has no SigninToken');
  return token;
}
