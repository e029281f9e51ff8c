import type { Credentials } from '../domain/credentials.js';
import { credentialEnv, envToUnset } from '../output/env-vars.js';
import { buildChildEnv } from './child-env.js';
import { runChild } from './run-child.js';

/**
 * `swrole exec`'s last step, shared by the full path and the cache-hit fast path: the role's credentials,
 * region, SWROLE_PROFILE and SWROLE_EXPIRATION in the child's env, stale AWS_PROFILE and old keys unset.
 */
export function runWithCredentials(
  parentEnv: Readonly<Record<string, string | undefined>>,
  credentials: Credentials,
  target: { profile: string; region: string | null },
  command: readonly string[],
): Promise<number> {
  const vars = credentialEnv(credentials, target);
  const env = buildChildEnv(parentEnv, vars, envToUnset(vars), target.profile);
  const [file, ...rest] = command as [string, ...string[]];
  return runChild({ command: file, args: rest, env, stdio: 'inherit' });
}
