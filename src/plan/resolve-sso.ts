import type { AwsConfig, Profile } from '../config/types.js';
import type { SsoSource } from './types.js';
import { hasKey, optionalString } from './profile-keys.js';
import { planErrors } from './plan-errors.js';

/** botocore `SSOProvider._PROFILE_REQUIRED_CONFIG_VARS`: either key makes the profile an SSO profile (§9). */
export function isSsoProfile(profile: Profile): boolean {
  return hasKey(profile.values, 'sso_account_id') || hasKey(profile.values, 'sso_role_name');
}

const REQUIRED = ['sso_role_name', 'sso_account_id', 'sso_start_url', 'sso_region'] as const;
/** botocore `SSOTokenProvider._SSO_CONFIG_VARS`: what the `[sso-session]` itself must hold. */
const SESSION_REQUIRED = ['sso_start_url', 'sso_region'] as const;

/**
 * botocore `SSOProvider._load_sso_config`: copy the `[sso-session]` keys into the profile, refusing a
 * key whose value differs, then require the four keys (reported in botocore's order). A profile that names an
 * sso-session then passes `SSOTokenProvider._load_sso_config`: the session section itself (not the profile)
 * must hold sso_start_url and sso_region, since the token is the session's (docs/reference/sso-keyring-console.md
 * A.9). botocore raises that one when the credentials are fetched; swrole, which never fetches in a plan, at once.
 */
export function resolveSso(config: AwsConfig, profile: Profile): SsoSource {
  const merged: Record<string, unknown> = { ...profile.values };
  const sessionName = optionalString(profile.values, 'sso_session');
  const session = sessionName === null ? undefined : config.ssoSessions.get(sessionName);
  if (hasKey(profile.values, 'sso_session')) {
    if (session === undefined) throw planErrors.ssoSessionNotFound(profile.name, sessionName ?? '');
    for (const [key, value] of Object.entries(session.values)) {
      const mine = Object.hasOwn(merged, key) ? merged[key] : value;
      if (mine !== value) throw planErrors.ssoSessionMismatch(profile.name, key, String(mine), String(value));
      merged[key] = value;
    }
  }
  const missing = REQUIRED.filter((key) => !Object.hasOwn(merged, key));
  if (missing.length > 0) throw planErrors.ssoMissing(profile.name, missing);
  if (session !== undefined && sessionName !== null) {
    // `if not sso_config`: a section without keys counts as missing.
    if (Object.keys(session.values).length === 0) throw planErrors.ssoTokenSessionNotFound(profile.name, sessionName);
    const lacking = SESSION_REQUIRED.filter((key) => !Object.hasOwn(session.values, key));
    if (lacking.length > 0) throw planErrors.ssoTokenMissing(profile.name, sessionName, lacking);
  }
  const text = (key: string) => (typeof merged[key] === 'string' ? (merged[key] as string) : '');
  return {
    kind: 'sso',
    profile: profile.name,
    ssoSession: sessionName,
    startUrl: text('sso_start_url'),
    ssoRegion: text('sso_region'),
    accountId: text('sso_account_id'),
    roleName: text('sso_role_name'),
  };
}
