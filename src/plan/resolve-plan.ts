import type { AwsConfig, Profile } from '../config/types.js';
import { findProfile, resolveRegion } from '../config/resolve-selection.js';
import type { AssumeRoleStep, NamedSource, Plan, SourceStep } from './types.js';
import { hasKey, hasStaticKeys, isAssumeRoleProfile, optionalString } from './profile-keys.js';
import { resolveSource } from './resolve-source.js';
import { resolveAssumeRoleStep } from './resolve-assume-role-step.js';
import { planErrors } from './plan-errors.js';

export interface ResolvePlanOptions {
  /** `--region`; null or undefined when not given. */
  region?: string | null;
  /** For the region env vars only (AWS_REGION / AWS_DEFAULT_REGION, handled by resolveRegion). */
  env?: Readonly<Record<string, string | undefined>>;
}

type Chain = [SourceStep, ...AssumeRoleStep[]];

/** botocore's credential_source names, exact case (§2.1; `environment` is rejected by both SDKs). */
const NAMED_SOURCES = {
  Environment: 'environment',
  Ec2InstanceMetadata: 'ec2InstanceMetadata',
  EcsContainer: 'ecsContainer',
} as const;

const NAMED_KINDS: ReadonlySet<string> = new Set(Object.values(NAMED_SOURCES));

/** A credential_source step (Environment, Ec2InstanceMetadata, EcsContainer). */
export function isNamedSource(step: SourceStep): step is NamedSource {
  return NAMED_KINDS.has(step.kind);
}

/**
 * PURE: the plan of a profile, decided exactly as botocore's provider chain would
 * (docs/reference/aws-behaviour.md §2.2 [B], §2.3, §2.4). Never touches AWS, files or the clock.
 */
export function resolvePlan(config: AwsConfig, profileName: string, options: ResolvePlanOptions = {}): Plan {
  const profile = findProfile(config, profileName);
  const region = resolveRegion(options.env ?? {}, profile, options.region ?? undefined) ?? null;
  return { profile: profile.name, region, steps: resolveChain(config, profile) };
}

function resolveChain(config: AwsConfig, profile: Profile): Chain {
  // The assume-role provider comes before every profile provider: static keys next to role_arn are
  // only used when the profile names itself as source_profile (§2.3 row 1 and "self-reference").
  if (isAssumeRoleProfile(profile)) return resolveAssumeRole(config, profile, [profile.name]);
  const source = resolveSource(config, profile);
  if (source === null) throw planErrors.noCredentials(profile.name);
  return [source];
}

/** botocore `AssumeRoleProvider._load_creds_via_assume_role`; `visited` starts with the selected profile. */
function resolveAssumeRole(config: AwsConfig, profile: Profile, visited: string[]): Chain {
  const hop = resolveAssumeRoleStep(profile);
  const hasSourceProfile = hasKey(profile.values, 'source_profile');
  const hasCredentialSource = hasKey(profile.values, 'credential_source');
  if (hasSourceProfile && hasCredentialSource) throw planErrors.bothSources(profile.name);
  if (!hasSourceProfile && !hasCredentialSource) throw planErrors.noSource(profile.name);

  if (hasCredentialSource) {
    const value = optionalString(profile.values, 'credential_source') ?? '';
    const kind = Object.hasOwn(NAMED_SOURCES, value) ? NAMED_SOURCES[value as keyof typeof NAMED_SOURCES] : undefined;
    if (kind === undefined) throw planErrors.invalidCredentialSource(profile.name, value);
    return [{ kind, profile: profile.name }, hop];
  }

  const sourceName = optionalString(profile.values, 'source_profile') ?? '';
  const source = config.profiles.get(sourceName);
  if (source === undefined) throw planErrors.sourceNotFound(profile.name, sourceName);
  // A profile may name itself to use its own static keys; any other revisit is a loop (§2.4).
  if (visited.includes(sourceName) && (sourceName !== profile.name || !hasStaticKeys(source))) {
    throw planErrors.loop(profile.name, sourceName, visited);
  }
  visited.push(sourceName);

  // A source with static keys ends the chain even if it has its own role_arn (§2.3).
  if (hasStaticKeys(source) || !isAssumeRoleProfile(source)) {
    const step = resolveSource(config, source);
    if (step === null) throw planErrors.sourceHasNoCredentials(profile.name, sourceName);
    return [step, hop];
  }
  return [...resolveAssumeRole(config, source, visited), hop];
}
