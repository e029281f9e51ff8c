import { SwroleError, type CodeOfKind } from '../errors.js';
import { KEYRING_BACKENDS } from '../domain/keyring-backend.js';

/**
 * Every way a profile can fail to resolve, one constructor per botocore error condition
 * (docs/reference/aws-behaviour.md §2.3–2.4, §9). Codes are stable: tests and ARCHITECTURE.md name them.
 * All are configuration errors (exit 3): nothing was sent to AWS.
 */
function configError(code: CodeOfKind<'config'>, message: string, hint: string): SwroleError {
  return new SwroleError(code, message, { hint });
}

export const planErrors = {
  bothSources: (profile: string) =>
    configError(
      'E_BOTH_SOURCE_AND_CREDENTIAL_SOURCE',
      `profile "${profile}" contains both source_profile and credential_source`,
      'keep only one of source_profile / credential_source in that profile',
    ),
  noSource: (profile: string) =>
    configError(
      'E_NO_SOURCE',
      `profile "${profile}" has role_arn but neither source_profile nor credential_source`,
      'add `source_profile = <profile with keys>` or `credential_source = Environment|Ec2InstanceMetadata|EcsContainer`',
    ),
  invalidCredentialSource: (profile: string, value: string) =>
    configError(
      'E_INVALID_CREDENTIAL_SOURCE',
      `the credential source "${value}" referenced in profile "${profile}" is not valid`,
      'credential_source is case-sensitive: use Environment, Ec2InstanceMetadata or EcsContainer',
    ),
  sourceNotFound: (profile: string, source: string) =>
    configError(
      'E_SOURCE_PROFILE_NOT_FOUND',
      `the source_profile "${source}" referenced in profile "${profile}" does not exist`,
      'check the spelling; in the config file a profile is `[profile NAME]`, in the credentials file `[NAME]`',
    ),
  loop: (profile: string, source: string, visited: readonly string[]) =>
    configError(
      'E_PROFILE_LOOP',
      `profile "${profile}": source_profile loop, "${source}" already visited: ${[...visited, source].map((p) => `"${p}"`).join(' → ')}`,
      'remove one source_profile from the loop (a profile may name itself only if it holds static keys)',
    ),
  sourceHasNoCredentials: (profile: string, source: string) =>
    configError(
      'E_SOURCE_HAS_NO_CREDENTIALS',
      `the source profile "${source}" (used by profile "${profile}") must have credentials`,
      `give "${source}" static keys, credential_process, sso_* or role_arn + source_profile`,
    ),
  partialCredentials: (profile: string, file: string, missing: string) =>
    configError(
      'E_PARTIAL_CREDENTIALS',
      `profile "${profile}" in ${file}: partial credentials, missing ${missing}`,
      'set both aws_access_key_id and aws_secret_access_key in the same section',
    ),
  noCredentials: (profile: string) =>
    configError(
      'E_NO_CREDENTIALS',
      `profile "${profile}" has no credentials (no keys, role_arn, credential_process, sso_* or web_identity_token_file)`,
      'add credentials to the profile, or choose another profile with --profile',
    ),
  webIdentityNoRole: (profile: string) =>
    configError(
      'E_WEB_IDENTITY_NO_ROLE',
      `profile "${profile}" has web_identity_token_file but no role_arn`,
      'add `role_arn = arn:aws:iam::ACCOUNT:role/NAME` to the profile',
    ),
  // IAM Identity Center: botocore's own words (InvalidConfigError), so a search for the message finds both tools.
  ssoMissing: (profile: string, missing: readonly string[]) =>
    configError(
      'E_SSO_CONFIG',
      `The profile "${profile}" is configured to use SSO but is missing required configuration: ${missing.join(', ')}`,
      'an SSO profile needs sso_account_id and sso_role_name, and sso_session = NAME with a [sso-session NAME] section ' +
        'holding sso_start_url and sso_region (or the legacy sso_start_url + sso_region in the profile)',
    ),
  ssoTokenMissing: (profile: string, session: string, missing: readonly string[]) =>
    configError(
      'E_SSO_CONFIG',
      `The profile "${profile}" is configured to use the SSO token provider but is missing the following configuration: [${missing.map((k) => `'${k}'`).join(', ')}].`,
      `move ${missing.join(' and ')} into the [sso-session ${session}] section: the sign-in token belongs to the session, not to the profile`,
    ),
  ssoSessionNotFound: (profile: string, session: string) =>
    configError(
      'E_SSO_SESSION_NOT_FOUND',
      `The specified sso-session does not exist: "${session}"`,
      `profile "${profile}" names it: add \`[sso-session ${session}]\` with sso_start_url and sso_region to the config file`,
    ),
  ssoTokenSessionNotFound: (profile: string, session: string) =>
    configError(
      'E_SSO_SESSION_NOT_FOUND',
      `The profile "${profile}" is configured to use the SSO token provider but the "${session}" sso_session configuration does not exist.`,
      `the [sso-session ${session}] section is empty: give it sso_start_url and sso_region`,
    ),
  ssoSessionMismatch: (profile: string, key: string, profileValue: string, sessionValue: string) =>
    configError(
      'E_SSO_SESSION_MISMATCH',
      `The value for ${key} is inconsistent between profile (${profileValue}) and sso-session (${sessionValue}).`,
      `remove ${key} from profile "${profile}" or make both values equal`,
    ),
  loginSession: (profile: string) =>
    configError(
      'E_LOGIN_SESSION_UNSUPPORTED',
      `profile "${profile}" uses login_session (aws login), which swrole does not support yet`,
      'use `aws login` for this profile, or give it role_arn + source_profile',
    ),
  keyringBackend: (profile: string, value: string) =>
    configError(
      'E_KEYRING_BACKEND',
      `profile "${profile}": swrole_keyring = ${JSON.stringify(value)} is not a keyring swrole knows`,
      `use ${KEYRING_BACKENDS.join(', ')} (\`swrole keys list\` shows where the keys are)`,
    ),
};
