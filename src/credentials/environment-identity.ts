/**
 * `swrole whoami` without PROFILE (issue 13): after `swrole use X`, or inside `swrole exec X -- …`, the shell's
 * SDKs and tools run with the keys in the environment, whatever AWS_PROFILE says (the env provider comes first in
 * every SDK's chain: docs/reference/aws-behaviour.md §3.4). So those keys are what "who am I now?" must describe.
 */
import type { Credentials } from '../domain/credentials.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { resolveProfileName, resolveRegion } from '../config/resolve-selection.js';
import { nonEmpty } from '../config/setting-text.js';
import { stringValue } from '../config/types.js';
import type { Deps } from '../platform/deps.js';
import type { CallerIdentity } from '../sts/gateway.js';
import { resolveStsTransport } from '../sts/resolve-sts-transport.js';
import { sdkSharedSettings } from '../sts/sdk-shared-settings.js';
import { isSwroleError, SwroleError } from '../errors.js';
import { commandLine } from '../platform/command-hint.js';
import { getCallerIdentity } from './caller-identity.js';
import { resolvePlanEndpoint } from './prepare-request.js';

/** The credentials the environment holds (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY both set), else undefined. */
export function environmentCredentials(env: Deps['env']): Credentials | undefined {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const expiration = nonEmpty(env.AWS_CREDENTIAL_EXPIRATION) ?? nonEmpty(env.SWROLE_EXPIRATION);
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(expiration !== undefined ? { expiration } : {}),
  };
}

/**
 * GetCallerIdentity with the environment's credentials, at the STS endpoint an SDK in this shell would use: the
 * environment's region and endpoint variables, and the selected profile's keys when that profile exists.
 */
export async function environmentIdentity(deps: Deps, credentials: Credentials, debug: (message: string) => void): Promise<CallerIdentity> {
  const config = loadAwsConfig(deps);
  const profile = resolveProfileName(deps.env);
  const selected = config.profiles.get(profile);
  const endpoint = resolvePlanEndpoint(config, { profile, region: resolveRegion(deps.env, selected) }, deps.env);
  const transport = resolveStsTransport({
    env: deps.env,
    endpointUrl: endpoint.url,
    profileCaBundle: stringValue(selected?.values ?? {}, 'ca_bundle'),
  });
  debug(`sts: ${endpoint.url} (${endpoint.source}) with the environment's credentials`);
  const gateway = import('../sts/load-gateway.js').then((m) =>
    m.loadStsGateway(endpoint, deps.now() - Date.now(), transport, sdkSharedSettings(config, deps.env)),
  );
  const label = nonEmpty(deps.env.SWROLE_PROFILE) ?? 'environment';
  try {
    return await getCallerIdentity({ gateway: () => gateway, endpoint, transport, plan: { profile: label } }, credentials);
  } catch (error) {
    // `swrole login` cannot renew keys that sit in this shell's environment: switching again does.
    if (!isSwroleError(error) || (error.code !== 'E_TOKEN_EXPIRED' && error.code !== 'E_INVALID_KEYS')) throw error;
    const swroleProfile = nonEmpty(deps.env.SWROLE_PROFILE);
    const hint =
      swroleProfile === undefined
        ? 'unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (or set fresh ones), or name a profile: `swrole whoami PROFILE`'
        : `run \`${commandLine('swrole', 'use', swroleProfile)}\` again for fresh ones, or \`swrole use --clear\``;
    throw new SwroleError(
      error.code,
      `the credentials in this shell's environment (AWS_ACCESS_KEY_ID…) are no longer accepted: ${error.message}`,
      {
        hint,
        cause: error,
      },
    );
  }
}
