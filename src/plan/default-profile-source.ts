import type { AwsConfig } from '../config/types.js';
import { isSwroleError } from '../errors.js';
import { resolvePlan } from './resolve-plan.js';

/**
 * PURE: what an SDK without AWS_PROFILE finds in the `default` profile before it reaches the container endpoint
 * (docs/reference/aws-behaviour.md §2.2: botocore's assume-role, web identity, SSO, credentials-file, process and
 * config-file providers, and the SDK for JS's fromIni, all come before the container provider):
 * - `none`: no default profile, or one without credentials (region only): the container endpoint is used;
 * - `credentials-file`: static keys in the credentials file's [default], which a client that reads an empty
 *   credentials file does not see;
 * - `config`: anything else (a role, credential_process, SSO, keys in the config file, or a broken default that
 *   makes the SDKs fail): the client uses that, or fails, instead of the endpoint.
 */
export function defaultProfileSource(config: AwsConfig): 'none' | 'credentials-file' | 'config' {
  if (!config.profiles.has('default')) return 'none';
  try {
    const plan = resolvePlan(config, 'default');
    const [source] = plan.steps;
    return plan.steps.length === 1 && source.kind === 'static' && source.file === 'credentials' ? 'credentials-file' : 'config';
  } catch (error) {
    if (isSwroleError(error) && error.code === 'E_NO_CREDENTIALS') return 'none';
    return 'config';
  }
}
