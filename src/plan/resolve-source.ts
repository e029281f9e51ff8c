import type { AwsConfig, ConfigSection, Profile } from '../config/types.js';
import type { SourceStep } from './types.js';
import { hasKey, optionalString, sectionHasAccessKey } from './profile-keys.js';
import { isSsoProfile, resolveSso } from './resolve-sso.js';
import { planErrors } from './plan-errors.js';
import { isKeyringBackend } from '../domain/keyring-backend.js';

/**
 * botocore's profile provider chain for one profile, environment disabled (`ProfileProviderBuilder.providers`,
 * docs/reference/aws-behaviour.md §2.2 [B] 3–8). Used for the selected profile when it is not an assume-role
 * profile, and for a source profile. Returns null when no provider is configured ("not configured" → None);
 * a provider that is configured but wrong throws, aborting the chain as botocore does.
 */
export function resolveSource(config: AwsConfig, profile: Profile): SourceStep | null {
  const values = profile.values;
  // 1. web identity: `if not token_path: return None` — an empty value is "not configured".
  const tokenFile = optionalString(values, 'web_identity_token_file');
  if (tokenFile) {
    const roleArn = optionalString(values, 'role_arn');
    if (!roleArn) throw planErrors.webIdentityNoRole(profile.name);
    return { kind: 'webIdentity', profile: profile.name, roleArn, tokenFile, roleSessionName: optionalString(values, 'role_session_name') };
  }
  // 2. IAM Identity Center.
  if (isSsoProfile(profile)) return resolveSso(config, profile);
  // 3. shared-credentials-file: the credentials file's own section only (§1.4), before credential_process.
  if (sectionHasAccessKey(profile.credentials)) return staticFrom(profile, profile.credentials, 'credentials');
  // 4. `aws login` sessions: botocore would read its token cache; swrole says so instead of guessing.
  if (hasKey(values, 'login_session')) throw planErrors.loginSession(profile.name);
  // 5a. swrole's keyring marker (`swrole keys add|import`): the credential_process next to it runs `swrole process`
  // for the other AWS tools; swrole itself reads the keys from the keyring instead of running itself (issue 12).
  // Where botocore would run that credential_process, so plaintext keys in the credentials file still win, as
  // they do for every AWS tool (`swrole keys import` moves them).
  if (hasKey(values, 'swrole_keyring')) {
    const value = optionalString(values, 'swrole_keyring') ?? '';
    const backend = value.trim();
    if (!isKeyringBackend(backend)) throw planErrors.keyringBackend(profile.name, value);
    return { kind: 'keyring', profile: profile.name, backend };
  }
  // 5. credential_process (merged view): wins over static keys of the config file (§2.3).
  if (hasKey(values, 'credential_process')) {
    return { kind: 'process', profile: profile.name, command: optionalString(values, 'credential_process') ?? '' };
  }
  // 6. config-file static keys.
  if (sectionHasAccessKey(profile.config)) return staticFrom(profile, profile.config, 'config');
  return null;
}

function staticFrom(profile: Profile, section: ConfigSection, file: 'config' | 'credentials'): SourceStep {
  if (!hasKey(section.values, 'aws_secret_access_key')) {
    throw planErrors.partialCredentials(profile.name, `${section.file}:${section.line}`, 'aws_secret_access_key');
  }
  return { kind: 'static', profile: profile.name, file };
}
