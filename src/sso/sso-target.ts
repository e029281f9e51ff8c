import type { AwsConfig } from '../config/types.js';
import { stringValue } from '../config/types.js';
import { isTrueSetting } from '../config/setting-text.js';
import { tokenCacheKey } from './sso-cache-names.js';

/**
 * The sign-in a profile uses: an `[sso-session]` (its token file is sha1 of the session name, it refreshes) or a
 * legacy start URL (sha1 of the URL, never refreshed). What `swrole login` and the credential engine share.
 */
export interface SsoTarget {
  sessionName: string | null;
  startUrl: string;
  region: string;
  /** The token file's name, without `.json`. */
  tokenKey: string;
  /** `sso_registration_scopes` as configured (comma-split, trimmed, blanks dropped), null when absent (the CLI's key). */
  configuredScopes: string[] | null;
  /** `sso_use_device_code = true` in the session (aws-cli PR #10635): always the device flow. */
  useDeviceCode: boolean;
}

/** `parse_sso_registration_scopes`. */
export function parseRegistrationScopes(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The target of an SSO source (its values already checked by plan/resolve-sso.ts). */
export function ssoTargetOf(config: AwsConfig, source: { ssoSession: string | null; startUrl: string; ssoRegion: string }): SsoTarget {
  const session = source.ssoSession === null ? undefined : config.ssoSessions.get(source.ssoSession);
  const rawScopes = session ? stringValue(session.values, 'sso_registration_scopes') : undefined;
  return {
    sessionName: source.ssoSession,
    startUrl: source.startUrl,
    region: source.ssoRegion,
    tokenKey: tokenCacheKey(source.ssoSession, source.startUrl),
    configuredScopes: rawScopes === undefined ? null : parseRegistrationScopes(rawScopes),
    useDeviceCode: session ? isTrueSetting(stringValue(session.values, 'sso_use_device_code')) : false,
  };
}

/** `aws sso login --sso-session NAME`'s reading of a session section, or the CLI's message for what is wrong. */
export function sessionTarget(config: AwsConfig, name: string): SsoTarget | { error: string } {
  const session = config.ssoSessions.get(name);
  if (session === undefined) return { error: `The specified sso-session does not exist: "${name}"` };
  const startUrl = stringValue(session.values, 'sso_start_url');
  const region = stringValue(session.values, 'sso_region');
  const missing = [startUrl === undefined ? 'sso_start_url' : '', region === undefined ? 'sso_region' : ''].filter(Boolean);
  if (missing.length > 0) return { error: `Missing the following required SSO configuration values: ${missing.join(', ')}. ` };
  return ssoTargetOf(config, { ssoSession: name, startUrl: startUrl!, ssoRegion: region! });
}
