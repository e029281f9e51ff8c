/**
 * Which profile and region a command uses. swrole follows the AWS CLI v2 order (AWS_PROFILE before
 * AWS_DEFAULT_PROFILE; AWS_REGION before AWS_DEFAULT_REGION), as DESIGN.md asks. botocore / CLI v1
 * differ: they read AWS_DEFAULT_PROFILE first and ignore AWS_REGION, and the SDK for JS ignores
 * AWS_DEFAULT_PROFILE and AWS_DEFAULT_REGION (docs/reference/aws-behaviour.md §1.1).
 */
import type { AwsConfig, Profile } from './types.js';
import { stringValue } from './types.js';
import { SwroleError } from '../errors.js';
import { editDistance } from './edit-distance.js';
import { nonEmpty } from './setting-text.js';

type Env = Readonly<Record<string, string | undefined>>;

/** --profile > AWS_PROFILE > AWS_DEFAULT_PROFILE > "default". */
export function resolveProfileName(env: Env, flag?: string): string {
  return nonEmpty(flag) ?? nonEmpty(env.AWS_PROFILE) ?? nonEmpty(env.AWS_DEFAULT_PROFILE) ?? 'default';
}

/** --region > AWS_REGION > AWS_DEFAULT_REGION > the profile's `region` > null (no region known). */
export function resolveRegion(env: Env, profile: Profile | undefined, flag?: string): string | null {
  return (
    nonEmpty(flag) ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION) ??
    nonEmpty(profile ? stringValue(profile.values, 'region') : undefined) ??
    null
  );
}

/** The profile called `name`, or E_PROFILE_NOT_FOUND with the likely fix. */
export function findProfile(config: AwsConfig, name: string): Profile {
  const profile = config.profiles.get(name);
  if (profile) return profile;
  const ignored = config.ignoredSections?.find((s) => s.intendedName === name && s.header.startsWith('profile'));
  if (ignored) {
    throw new SwroleError(
      'E_PROFILE_NOT_FOUND',
      `profile "${name}" not found: ${ignored.file}:${ignored.line} has [${ignored.header}], which the AWS CLI and SDKs ignore`,
      { hint: ignored.fix ? `write ${ignored.fix} instead` : 'quote the profile name in the header' },
    );
  }
  const suggestions = suggestNames(name, [...config.profiles.keys()]);
  const hint =
    suggestions.length > 0
      ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}? (swrole list shows all profiles)`
      : `add [profile ${name}] to ${config.configFile} or [${name}] to ${config.credentialsFile}; swrole list shows the profiles`;
  throw new SwroleError('E_PROFILE_NOT_FOUND', `profile "${name}" not found in ${config.configFile} or ${config.credentialsFile}`, {
    hint,
  });
}

/** Up to 3 names within a third of the name's length (at least 1, at most 3 edits), closest first; case-insensitive matches first. */
export function suggestNames(name: string, candidates: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  return candidates
    .map((candidate) => ({
      candidate,
      distance: candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase()) + 0.5,
    }))
    .filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((s) => s.candidate);
}
