/**
 * What the AWS SDK's own config loaders would read from the environment and the shared config files, taken from
 * swrole's parse instead (issue 16). A client built without explicit values runs @smithy's `loadConfig` for each
 * setting it lacks (FIPS, dual-stack, retry mode, defaults mode, user-agent app id, auth scheme preference, SigV4a
 * region set, clock-skew correction), and each of those re-reads and re-parses both files whole: seconds of CPU on
 * a 50,000-profile config, once per setting per client. sts/sdk-client-settings.ts feeds these values to the SDK's
 * own selectors, so the SDK sees what it would have read, and never opens ~/.aws itself.
 * No SDK here: this runs before the SDK chunk is loaded.
 */
import type { AwsConfig } from '../config/types.js';

export interface SdkSharedSettings {
  /** The environment the SDK's selectors read (process.env in the CLI). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The profile the SDK's loaders read: AWS_PROFILE, else `default` (never the profile swrole resolves), merged
   * as @smithy's `fromSharedConfigFiles` merges it: the credentials file's keys, the config file's over them.
   */
  profile: Readonly<Record<string, string>>;
}

function strings(values: Readonly<Record<string, unknown>> | undefined, into: Record<string, string>): void {
  if (values === undefined) return;
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') into[key] = value;
}

export function sdkSharedSettings(config: AwsConfig, env: Readonly<Record<string, string | undefined>>): SdkSharedSettings {
  // @smithy getProfileName: `init.profile || process.env.AWS_PROFILE || "default"` (no client passes a profile).
  const profile = config.profiles.get(env.AWS_PROFILE || 'default');
  const merged: Record<string, string> = {};
  strings(profile?.credentials?.values, merged);
  strings(profile?.config?.values, merged);
  return { env, profile: merged };
}
