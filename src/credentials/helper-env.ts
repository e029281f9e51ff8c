import type { AwsConfig } from '../config/types.js';
import type { Deps } from '../platform/deps.js';

/**
 * The environment of a helper swrole runs for a profile's source (its `credential_process`, issue 9 §3): the
 * config and credentials files swrole read — the user's, `--source-config`/`--source-credentials` inside an
 * agent view — never the view's own, which do not hold the helper's profile; and no AWS_PROFILE or
 * AWS_DEFAULT_PROFILE, which name the outer (granted) profile, not the one the helper is for.
 */
export function helperEnv(env: Deps['env'], config: Pick<AwsConfig, 'configFile' | 'credentialsFile'>): Deps['env'] {
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _defaultProfile, ...rest } = env;
  return { ...rest, AWS_CONFIG_FILE: config.configFile, AWS_SHARED_CREDENTIALS_FILE: config.credentialsFile };
}
