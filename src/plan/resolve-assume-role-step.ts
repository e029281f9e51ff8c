import type { Profile } from '../config/types.js';
import type { AssumeRoleStep } from './types.js';
import { optionalString, parseCommaList, parseDurationSeconds, parseSessionTags } from './profile-keys.js';

/**
 * One AssumeRole hop, read from the hop's own profile (botocore `_get_role_config`), plus the
 * aws-vault extras (mfa_process, source_identity, session_tags, transitive_session_tags) and swrole's
 * `swrole_session_policy_arns` / `swrole_session_policy_file`. Values are kept as written: an empty
 * `mfa_serial =` is still sent by botocore, so it stays "" here.
 */
export function resolveAssumeRoleStep(profile: Profile): AssumeRoleStep {
  const v = profile.values;
  return {
    kind: 'assumeRole',
    profile: profile.name,
    roleArn: optionalString(v, 'role_arn') ?? '',
    mfaSerial: optionalString(v, 'mfa_serial'),
    externalId: optionalString(v, 'external_id'),
    durationSeconds: parseDurationSeconds(optionalString(v, 'duration_seconds')),
    roleSessionName: optionalString(v, 'role_session_name'),
    mfaProcess: optionalString(v, 'mfa_process'),
    sourceIdentity: optionalString(v, 'source_identity'),
    sessionTags: parseSessionTags(optionalString(v, 'session_tags')),
    transitiveTagKeys: parseCommaList(optionalString(v, 'transitive_session_tags')),
    policyArns: parseCommaList(optionalString(v, 'swrole_session_policy_arns')),
    policyFile: optionalString(v, 'swrole_session_policy_file'),
  };
}
