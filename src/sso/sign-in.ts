/**
 * `swrole login` for an IAM Identity Center profile (issue 11): one sign-in per sso-session shared by every process,
 * agent and the AWS tools (the token goes to ~/.aws/sso/cache in the CLI's format). Authorization code + PKCE in the
 * browser for sso-session profiles; the device flow for legacy profiles (as botocore), with --device-code, with
 * `sso_use_device_code = true`, and wherever no browser can be opened. Under the token lock: a login started while
 * another runs waits for it and takes its token instead of opening a second browser.
 */
import { isSwroleError } from '../errors.js';
import { fileWriteError, isFileSystemError } from '../platform/file-system-error.js';
import { REFRESH_WINDOW_MS } from './access-token.js';
import { runAuthCodeFlow } from './authorization-code-flow.js';
import { runDeviceFlow } from './device-flow.js';
import { obtainRegistration } from './registration.js';
import { describeSsoFailure, type CreatedToken, type DeviceAuthorization } from './sso-gateway.js';
import type { SsoRuntime } from './sso-runtime.js';
import { formatSsoTime, parseSsoTime, type SsoRegistration, type SsoToken } from './sso-token-file.js';
import { peekSsoToken, writeSsoTokenFile } from './sso-token-cache.js';
import { acquireTokenLock } from './token-lock.js';
import { ssoErrors } from './sso-errors.js';
import { join } from 'node:path';

export interface SignInOptions {
  /** `--device-code`. */
  deviceCode: boolean;
  /** `--force`: sign in again even with a valid token. */
  force: boolean;
  /** Why no browser can be opened here (can-open-browser.ts), or undefined. */
  noBrowser: string | undefined;
  /** Starts the browser on a URL (src/console/open-browser.ts); rejects when it cannot. */
  openBrowser: (url: string) => Promise<unknown>;
  /** Text for the person (stderr). */
  write: (text: string) => void;
  /** How long the browser may take (default 10 min, the AWS CLI's). */
  timeoutMs?: number;
}

export type SignInHow = 'valid' | 'other' | 'browser' | 'device';

class NoBrowser extends Error {}

/** StartDeviceAuthorization said the client is unknown (InvalidClientException, HTTP 401). */
function isUnknownClient(error: unknown): boolean {
  return isSwroleError(error) && error.code === 'E_SSO_FAILED' && describeSsoFailure(error.cause).name === 'InvalidClientException';
}

function describeTarget(rt: SsoRuntime): string {
  return rt.target.sessionName !== null ? `sso-session "${rt.target.sessionName}", ${rt.target.startUrl}` : rt.target.startUrl;
}

function showDevice(rt: SsoRuntime, o: SignInOptions, a: DeviceAuthorization, openIt: boolean): void {
  o.write(
    `swrole: to sign in to IAM Identity Center (${describeTarget(rt)}), open\n\n  ${a.verificationUri}\n\n` +
      `and enter the code\n\n  ${a.userCode}\n\nor open ${a.verificationUriComplete} (it fills in the code). Waiting for the approval...\n`,
  );
  if (openIt) o.openBrowser(a.verificationUriComplete).catch(() => undefined);
}

export async function signIn(rt: SsoRuntime, o: SignInOptions): Promise<{ token: SsoToken; how: SignInHow }> {
  const fresh = (t: SsoToken | undefined) => t !== undefined && parseSsoTime(t.expiresAt) - rt.now() >= REFRESH_WINDOW_MS;
  const before = peekSsoToken(rt.cacheDir, rt.target.tokenKey);
  if (!o.force && fresh(before)) return { token: before!, how: 'valid' };
  // No person here (no terminal, an agent, SWROLE_NO_PROMPT): no registration, no browser, no wait; say who can.
  if (!rt.interactive()) throw ssoErrors.needsTerminal(rt.profile, rt.login);
  const theirs = () => {
    const t = peekSsoToken(rt.cacheDir, rt.target.tokenKey);
    return t !== undefined && t.accessToken !== before?.accessToken && fresh(t) ? t : undefined;
  };
  const lock = await acquireTokenLock(rt, { doing: 'signing in to IAM Identity Center', until: () => theirs() !== undefined });
  try {
    const done = theirs();
    if (done !== undefined) return { token: done, how: 'other' };
    lock?.update('waiting for a person to sign in to IAM Identity Center', true);
    const legacy = rt.target.sessionName === null;
    let created: CreatedToken | undefined;
    let registration: SsoRegistration | undefined;
    let how: SignInHow = 'device';
    if (!legacy && !o.deviceCode && !rt.target.useDeviceCode && o.noBrowser === undefined) {
      try {
        registration = (await obtainRegistration(rt, 'authCode')).registration;
        created = await runAuthCodeFlow(rt, registration, {
          timeoutMs: o.timeoutMs ?? 600_000,
          open: async (url) => {
            o.write(
              `swrole: signing in to IAM Identity Center (${describeTarget(rt)}) in your browser. If it does not open, open this URL:\n\n  ${url}\n\n` +
                `(no browser on this machine? \`swrole login ${rt.login} --device-code\`)\n`,
            );
            try {
              await o.openBrowser(url);
            } catch (error) {
              throw new NoBrowser((error as Error).message);
            }
          },
        });
        how = 'browser';
      } catch (error) {
        if (!(error instanceof NoBrowser)) throw error;
        o.write(`swrole: ${error.message}; signing in with a device code instead\n`);
      }
    } else if (o.noBrowser !== undefined && !legacy && !o.deviceCode) {
      rt.debug(`sso: no browser here (${o.noBrowser}): device code`);
    }
    if (created === undefined) {
      const openIt = legacy && !o.deviceCode && o.noBrowser === undefined;
      const obtained = await obtainRegistration(rt, 'device');
      registration = obtained.registration;
      try {
        created = await runDeviceFlow(rt, registration, { show: (a) => showDevice(rt, o, a, openIt) });
      } catch (error) {
        // A cached registration the service no longer knows (deleted, or another instance behind the same start URL):
        // register again, once, as a fresh sign-in would.
        if (!obtained.reused || !isUnknownClient(error)) throw error;
        rt.debug('sso: the cached client registration is unknown to IAM Identity Center (InvalidClientException): registering again');
        registration = (await obtainRegistration(rt, 'device', { fresh: true })).registration;
        created = await runDeviceFlow(rt, registration, { show: (a) => showDevice(rt, o, a, openIt) });
      }
    }
    const token: SsoToken = {
      startUrl: rt.target.startUrl,
      region: rt.target.region,
      accessToken: created.accessToken,
      expiresAt: formatSsoTime(rt.now() + created.expiresIn * 1000),
      clientId: registration!.clientId,
      clientSecret: registration!.clientSecret,
      registrationExpiresAt: registration!.expiresAt,
      ...(created.refreshToken ? { refreshToken: created.refreshToken } : {}),
    };
    try {
      writeSsoTokenFile(rt.cacheDir, rt.target.tokenKey, token, rt.platform);
    } catch (error) {
      if (!isFileSystemError(error)) throw error;
      throw fileWriteError('write the IAM Identity Center token', join(rt.cacheDir, `${rt.target.tokenKey}.json`), error);
    }
    return { token, how };
  } finally {
    lock?.release();
  }
}
