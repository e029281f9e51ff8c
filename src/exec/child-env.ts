import { SwroleError } from '../errors.js';

/**
 * The child's environment: the parent's, minus the conflicting variables, plus the credential variables,
 * plus SWROLE_PROFILE (the recursion guard's marker, and what prompts show). Unsets apply before sets, so
 * passing all of CONFLICTING_ENV is safe. `vars` may be credentialEnv()'s pairs or a plain record.
 */
export function buildChildEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  vars: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>,
  unset: readonly string[],
  profile: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value !== undefined) env[name] = value;
  }
  for (const name of unset) delete env[name];
  const pairs = Array.isArray(vars) ? vars : Object.entries(vars);
  for (const [name, value] of pairs as ReadonlyArray<readonly [string, string]>) env[name] = value;
  env.SWROLE_PROFILE = profile;
  return env;
}

/**
 * Refuses to run inside a shell or process that already has swrole credentials: nesting stacks one role's
 * session on another's and makes it unclear which role a command runs as (aws-vault refuses the same
 * way when AWS_VAULT is set).
 */
export function assertNotNested(env: Readonly<Record<string, string | undefined>>, force: boolean): void {
  const outer = env.SWROLE_PROFILE;
  if (force || outer === undefined || outer === '') return;
  throw new SwroleError('E_EXEC_NESTED', `already running with swrole credentials for profile "${outer}"`, {
    hint: 'leave that shell or run `swrole use --clear` first, or pass --force to nest anyway',
  });
}
