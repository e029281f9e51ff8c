import type { Deps } from '../platform/deps.js';
import type { HitMemo } from '../cache/hit-memo.js';
import type { Credentials } from '../cache/types.js';
import { credentialEnv, envToUnset } from '../output/env-vars.js';
import { buildChildEnv } from '../exec/child-env.js';
import { runChild } from '../exec/run-child.js';

/** `swrole exec` on a memoised hit: the same child environment as commands/exec.ts builds. */
export function runHitChild(credentials: Credentials, memo: HitMemo, command: readonly string[], deps: Deps): Promise<number> {
  const vars = credentialEnv(credentials, { region: memo.region, profile: memo.profile });
  const env = buildChildEnv(deps.env, vars, envToUnset(vars), memo.profile);
  const [file, ...rest] = command as [string, ...string[]];
  return runChild({ command: file, args: rest, env, stdio: 'inherit' });
}
