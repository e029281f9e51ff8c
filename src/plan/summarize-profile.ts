import { accountOfArn } from '../domain/arn.js';
import type { AwsConfig, Profile } from '../config/types.js';
import { isSwroleError } from '../errors.js';
import { optionalString } from './profile-keys.js';
import { resolvePlan, isNamedSource } from './resolve-plan.js';
import { roleArnProblem } from './role-arn-problem.js';

export type ProfileKind = 'role' | 'static' | 'keyring' | 'process' | 'sso' | 'webIdentity' | 'credentialSource' | 'none' | 'invalid';

/** One row of `swrole list`: what a profile is, decided by the same resolver as `explain`. */
export interface ProfileSummary {
  profile: string;
  kind: ProfileKind;
  roleArn: string | null;
  account: string | null;
  sourceProfile: string | null;
  mfaSerial: string | null;
  region: string | null;
  /** Set for kind "invalid" (and "none"): the stable code and message `swrole explain` would print. */
  error: { code: string; message: string } | null;
  /** What would fail later although the profile resolves (a malformed role_arn), for `list` to flag. */
  warnings: string[];
}

/** Never throws for one bad profile: an unresolvable profile becomes kind "invalid" with its error. */
export function summarizeProfile(config: AwsConfig, profile: Profile): ProfileSummary {
  const values = profile.values;
  const roleArn = optionalString(values, 'role_arn');
  const summary: ProfileSummary = {
    profile: profile.name,
    kind: 'none',
    roleArn,
    account: accountOfArn(roleArn) ?? optionalString(values, 'sso_account_id'),
    sourceProfile: optionalString(values, 'source_profile'),
    mfaSerial: optionalString(values, 'mfa_serial'),
    // The profile's own region: env and --region are about one invocation, not about the file.
    region: optionalString(values, 'region'),
    error: null,
    warnings: [],
  };
  const arnProblem = roleArn === null ? undefined : roleArnProblem(roleArn);
  if (arnProblem !== undefined) summary.warnings.push(`profile "${profile.name}": ${arnProblem}`);
  try {
    const plan = resolvePlan(config, profile.name);
    const [source, ...hops] = plan.steps;
    if (hops.length === 0) summary.kind = isNamedSource(source) ? 'none' : source.kind;
    else if (hops.length === 1 && isNamedSource(source)) summary.kind = 'credentialSource';
    else summary.kind = 'role';
  } catch (error) {
    if (!isSwroleError(error)) throw error;
    summary.kind = error.code === 'E_NO_CREDENTIALS' ? 'none' : 'invalid';
    summary.error = { code: error.code, message: error.message };
  }
  return summary;
}
