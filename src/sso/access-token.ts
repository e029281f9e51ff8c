/**
 * The access token of a sign-in, from ~/.aws/sso/cache, refreshed the way botocore does it (SSOTokenProvider,
 * docs/reference/sso-keyring-console.md A.5, A.7): inside the last 15 minutes, with the refresh token, if the
 * registration is still valid; legacy (start URL) tokens never refresh. Across processes: under the token lock
 * (one CreateToken for any number of callers), at most one attempt a minute per token, and a process whose refresh
 * token was rotated by someone else (invalid_grant) re-reads the file before it gives up.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { replaceFileAtomic } from '../platform/atomic-replace.js';
import { withRetry } from '../sts/with-retry.js';
import { ssoErrors } from './sso-errors.js';
import { describeSsoFailure } from './sso-gateway.js';
import type { SsoRuntime } from './sso-runtime.js';
import { formatSsoTime, parseSsoTime, type SsoToken } from './sso-token-file.js';
import { peekSsoToken, readSsoTokenFile, writeSsoTokenFile } from './sso-token-cache.js';
import { acquireTokenLock } from './token-lock.js';

/** botocore `SSOTokenProvider._REFRESH_WINDOW`: refresh when less than this remains. */
export const REFRESH_WINDOW_MS = 15 * 60_000;
/** `DeferredRefreshableToken._mandatory_refresh_timeout`: below this, wait for a refresh in progress. */
const MANDATORY_MS = 10 * 60_000;
/** `_attempt_timeout`: one refresh attempt a minute per token. */
const ATTEMPT_EVERY_MS = 60_000;

const remainingMs = (token: SsoToken, now: number) => parseSsoTime(token.expiresAt) - now;

/** botocore `_refresh_access_token`'s preconditions; the reason when it cannot refresh. */
function whyNotRefreshable(token: SsoToken, now: number): string | undefined {
  const missing = (['refreshToken', 'clientId', 'clientSecret', 'registrationExpiresAt'] as const).filter((k) => token[k] === undefined);
  if (missing.length > 0) return `the cached token has no ${missing.join(', ')} (signed in without sso_registration_scopes?)`;
  const registration = parseSsoTime(token.registrationExpiresAt!);
  if (!(registration > now)) return `the client registration expired at ${token.registrationExpiresAt}`;
  return undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

interface Attempt {
  at: number;
  refresh: string;
  ok: boolean;
}

function readAttempt(rt: SsoRuntime): Attempt | undefined {
  try {
    const value = JSON.parse(readFileSync(join(rt.lockDir, `${rt.target.tokenKey}.attempt`), 'utf8')) as Attempt;
    return typeof value.at === 'number' && typeof value.refresh === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function writeAttempt(rt: SsoRuntime, attempt: Attempt): void {
  try {
    replaceFileAtomic(join(rt.lockDir, `${rt.target.tokenKey}.attempt`), `${JSON.stringify(attempt)}\n`, 0o600, rt.platform);
  } catch {
    // only the once-a-minute throttle is lost
  }
}

function save(rt: SsoRuntime, token: SsoToken): void {
  try {
    writeSsoTokenFile(rt.cacheDir, rt.target.tokenKey, token, rt.platform);
  } catch (error) {
    rt.notice(
      `warning: cannot write the refreshed IAM Identity Center token to ${rt.cacheDir} (${(error as NodeJS.ErrnoException).code ?? 'error'}); ` +
        'it is used now but not kept',
    );
  }
}

/** CreateToken with the refresh token; the new token in the CLI's shape (a refresh token that did not rotate is kept). */
async function refresh(rt: SsoRuntime, token: SsoToken): Promise<SsoToken> {
  const gateway = await rt.gateway();
  rt.debug(`sso: CreateToken (refresh_token) for ${rt.target.sessionName} at ${rt.endpoints.oidc}`);
  const out = await withRetry((signal) =>
    gateway.createToken(
      { grantType: 'refresh_token', clientId: token.clientId!, clientSecret: token.clientSecret!, refreshToken: token.refreshToken! },
      { signal },
    ),
  );
  return {
    startUrl: rt.target.startUrl,
    region: rt.target.region,
    accessToken: out.accessToken,
    expiresAt: formatSsoTime(rt.now() + out.expiresIn * 1000),
    clientId: token.clientId!,
    clientSecret: token.clientSecret!,
    registrationExpiresAt: token.registrationExpiresAt!,
    // botocore drops the key when the answer has none; keeping the old one costs nothing if it is dead.
    refreshToken: out.refreshToken ?? token.refreshToken!,
  };
}

export interface AccessTokenOptions {
  /** Refresh even with more than 15 min left (the portal refused the token: 401). */
  force?: boolean;
}

/** The access token to call the portal with, refreshed if due; E_SSO_LOGIN_REQUIRED when a person must sign in. */
export async function obtainAccessToken(rt: SsoRuntime, options: AccessTokenOptions = {}): Promise<SsoToken> {
  const { target } = rt;
  const name = target.sessionName ?? target.startUrl;
  const read = await readSsoTokenFile(rt.cacheDir, target.tokenKey);
  if (read.state === 'missing') throw ssoErrors.tokenMissing(rt.profile, rt.login, name);
  if (read.state === 'invalid') throw ssoErrors.tokenInvalid(rt.profile, rt.login, target.startUrl);
  let token = read.value;
  const now = rt.now();
  if (target.sessionName === null) {
    // Legacy profiles never refresh (botocore raises UnauthorizedSSOTokenError before calling the portal).
    if (remainingMs(token, now) <= 0 || options.force) throw ssoErrors.sessionExpired(rt.profile, rt.login);
    return token;
  }
  if (!options.force && remainingMs(token, now) >= REFRESH_WINDOW_MS) return token;
  const cannot = whyNotRefreshable(token, now);
  if (cannot !== undefined) {
    if (!options.force && remainingMs(token, now) > 0) return token; // advisory: the old token still works
    throw options.force ? ssoErrors.sessionExpired(rt.profile, rt.login) : ssoErrors.refreshFailed(rt.profile, rt.login, cannot);
  }

  const usedBefore = token.accessToken;
  // Someone else refreshed (or signed in) since we read: their token is ours.
  const replaced = () => {
    const now2 = rt.now();
    const current = peekSsoToken(rt.cacheDir, target.tokenKey);
    return current !== undefined && current.accessToken !== usedBefore && remainingMs(current, now2) >= REFRESH_WINDOW_MS
      ? current
      : undefined;
  };
  // In the advisory window (10–15 min left) never wait for another refresher: the old token still works.
  const advisory = !options.force && remainingMs(token, now) > MANDATORY_MS;
  const lock = await acquireTokenLock(rt, {
    doing: 'refreshing an IAM Identity Center token',
    until: () => advisory || replaced() !== undefined,
  });
  try {
    const theirs = replaced();
    if (theirs !== undefined) return theirs;
    if (lock === undefined) return token; // advisory, and someone else is on it
    const again = await readSsoTokenFile(rt.cacheDir, target.tokenKey);
    if (again.state === 'ok') token = again.value;
    if (!options.force && remainingMs(token, rt.now()) >= REFRESH_WINDOW_MS) return token;
    const previous = readAttempt(rt);
    const refreshId = digest(token.refreshToken ?? '');
    if (previous && previous.refresh === refreshId && !previous.ok && Math.abs(rt.now() - previous.at) < ATTEMPT_EVERY_MS) {
      rt.debug('sso: the last refresh of this token failed less than a minute ago: not trying again yet');
      if (!options.force && remainingMs(token, rt.now()) > 0) return token;
      throw ssoErrors.refreshFailed(rt.profile, rt.login, 'the refresh failed less than a minute ago');
    }
    try {
      const fresh = await refresh(rt, token);
      writeAttempt(rt, { at: rt.now(), refresh: digest(fresh.refreshToken ?? ''), ok: true });
      save(rt, fresh);
      return fresh;
    } catch (error) {
      const failure = describeSsoFailure(error);
      // Refresh tokens rotate: another tool (the AWS CLI, an SDK) may have used ours and written its successor.
      const now2 = rt.now();
      const reread = peekSsoToken(rt.cacheDir, target.tokenKey);
      if (reread !== undefined && reread.accessToken !== token.accessToken && remainingMs(reread, now2) > 0) {
        rt.debug(`sso: refresh answered ${failure.name}; the token file was replaced meanwhile: using the new token`);
        return reread;
      }
      writeAttempt(rt, { at: now2, refresh: refreshId, ok: false });
      if (!options.force && remainingMs(token, now2) > 0) {
        rt.debug(`sso: refresh failed (${failure.name}) in the advisory window: the current token still works`);
        return token;
      }
      throw ssoErrors.refreshFailed(
        rt.profile,
        rt.login,
        `CreateToken answered ${failure.name}${failure.message ? `: ${failure.message}` : ''}`,
        error,
      );
    }
  } finally {
    lock?.release();
  }
}
