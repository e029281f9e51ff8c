/**
 * `swrole logout` of IAM Identity Center sign-ins (issue 11; docs/reference/sso-keyring-console.md A.10 "Logout
 * sweep"): the portal's Logout with each token, then its file in ~/.aws/sso/cache removed, and the role credentials
 * cached from it (swrole's sessions; with --all also the AWS CLI's `ProviderType: sso` entries, as `aws sso logout`).
 * Client registrations stay (the next sign-in reuses them). A portal that cannot be reached does not keep anyone
 * signed in here: the files go anyway and the failure is said. Loaded by the logout command only.
 */
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsConfig } from '../config/types.js';
import { EMPTY_AWS_CONFIG } from '../config/empty-aws-config.js';
import type { SsoSource } from '../plan/types.js';
import type { Deps } from '../platform/deps.js';
import { fileWriteError, isFileSystemError, translateFileErrors } from '../platform/file-system-error.js';
import { withRetry } from '../sts/with-retry.js';
import { ssoCacheDir } from '../sso/sso-cache-names.js';
import { describeSsoFailure } from '../sso/sso-gateway.js';
import type { SsoRuntime } from '../sso/sso-runtime.js';
import { peekSsoToken, removeCacheFile } from '../sso/sso-token-cache.js';
import { parseSsoTime } from '../sso/sso-token-file.js';
import { createSsoRuntime } from './sso-credentials.js';

export interface SsoLogoutInput {
  deps: Deps;
  /** The AWS config (a profile's endpoints and session); --all needs none: token files name their region. */
  config?: AwsConfig;
  stateDir: string;
  warn: (message: string) => void;
  debug: (message: string) => void;
}

export interface SignedOut {
  /** The token file's key (sha1 of the session name or start URL). */
  tokenKey: string;
  startUrl: string;
  /** Whether the portal accepted the Logout ('expired': the token had expired, nothing to tell the portal). */
  portal: 'ok' | 'expired' | 'failed';
}

function runtimeFor(
  input: SsoLogoutInput,
  selected: string,
  source: Pick<SsoSource, 'profile' | 'ssoSession' | 'startUrl' | 'ssoRegion'>,
): SsoRuntime {
  return createSsoRuntime(
    {
      deps: input.deps,
      config: input.config ?? EMPTY_AWS_CONFIG,
      selected,
      stateDir: input.stateDir,
      notice: input.warn,
      debug: input.debug,
      interactive: () => false,
    },
    source,
  );
}

/** POST /logout with the token (an expired one needs none), then the token file removed. */
async function signOut(
  input: SsoLogoutInput,
  rt: SsoRuntime,
  tokenKey: string,
  accessToken: string,
  expiresAt: string,
): Promise<SignedOut['portal']> {
  let portal: SignedOut['portal'] = 'expired';
  if (!(parseSsoTime(expiresAt) <= rt.now())) {
    try {
      const gateway = await rt.gateway();
      await withRetry((signal) => gateway.logout({ accessToken }, { signal }), { attempts: 2, baseDelayMs: 300 });
      portal = 'ok';
    } catch (error) {
      const failure = describeSsoFailure(error);
      // 401: the portal no longer knows the token (signed out elsewhere, revoked): that is signed out.
      if (failure.status === 401 || failure.name === 'UnauthorizedException') portal = 'ok';
      else {
        portal = 'failed';
        input.warn(
          `could not sign out at ${rt.endpoints.portal} (${failure.name}${failure.message ? `: ${failure.message}` : ''}); the token is removed from this machine`,
        );
      }
    }
  }
  // The AWS CLI's file: one that cannot go (no permission, read-only) is said with its path, as any such write.
  translateFileErrors(
    () => removeCacheFile(rt.cacheDir, tokenKey),
    (error) =>
      fileWriteError('remove the IAM Identity Center token', join(rt.cacheDir, `${tokenKey}.json`), error, 'then run swrole logout again'),
  );
  return portal;
}

/** `swrole logout PROFILE` of an SSO-backed profile: its session's sign-in, if there is one. */
export async function logoutSsoSource(input: SsoLogoutInput, selected: string, source: SsoSource): Promise<SignedOut | undefined> {
  const rt = runtimeFor(input, selected, source);
  const key = rt.target.tokenKey;
  const token = peekSsoToken(rt.cacheDir, key);
  if (token === undefined) return undefined;
  const portal = await signOut(input, rt, key, token.accessToken, token.expiresAt);
  return { tokenKey: key, startUrl: rt.target.startUrl, portal };
}

/**
 * `swrole logout --all`: as `aws sso logout`, every token file (a JSON object with `accessToken` and `region`),
 * and the AWS CLI's cached SSO role credentials (`~/.aws/cli/cache/*.json` with `ProviderType: sso`; other files,
 * such as its session.db, stay).
 */
export async function logoutAllSso(input: SsoLogoutInput): Promise<{ signedOut: SignedOut[]; cliCredentials: number }> {
  const dir = ssoCacheDir(input.deps.homedir);
  const signedOut: SignedOut[] = [];
  for (const name of listJson(dir)) {
    const value = readJson(join(dir, name));
    if (typeof value?.accessToken !== 'string' || typeof value.region !== 'string') continue;
    const startUrl = typeof value.startUrl === 'string' ? value.startUrl : '';
    const rt = runtimeFor(input, '', { profile: '(logout --all)', ssoSession: null, startUrl, ssoRegion: value.region });
    const key = name.slice(0, -'.json'.length);
    const expiresAt = typeof value.expiresAt === 'string' ? value.expiresAt : '';
    signedOut.push({ tokenKey: key, startUrl, portal: await signOut(input, rt, key, value.accessToken, expiresAt) });
  }
  const cliCache = join(input.deps.homedir, '.aws', 'cli', 'cache');
  let cliCredentials = 0;
  for (const name of listJson(cliCache)) {
    if (readJson(join(cliCache, name))?.ProviderType !== 'sso') continue;
    try {
      unlinkSync(join(cliCache, name));
      cliCredentials++;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      throw isFileSystemError(error)
        ? fileWriteError('remove the AWS CLI SSO credentials', join(cliCache, name), error, 'then run swrole logout --all again')
        : error;
    }
  }
  return { signedOut, cliCredentials };
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
