/** `swrole exec --server`: the child gets the container-credentials endpoint instead of keys. Loaded only with --server. */
import type { Deps } from '../platform/deps.js';
import { buildChildEnv } from '../exec/child-env.js';
import { runChild } from '../exec/run-child.js';
import { serverEnvToUnset } from '../server/server-env.js';
import { startProfileServer, type ProfileServerOptions } from './profile-server.js';

export async function runExecServer(
  deps: Deps,
  o: Omit<ProfileServerOptions, 'command' | 'port'>,
  command: readonly string[],
): Promise<number> {
  const server = await startProfileServer(deps, { ...o, command: 'exec', port: 0 });
  try {
    const { plan } = server.prepared;
    const vars: Array<[string, string]> = [...server.vars];
    if (plan.region) vars.push(['AWS_REGION', plan.region], ['AWS_DEFAULT_REGION', plan.region]);
    const env = buildChildEnv(deps.env, vars, serverEnvToUnset(vars), plan.profile);
    const [file, ...args] = command as [string, ...string[]];
    o.reporters.debug(`exec: ${file} (${args.length} argument(s)) with the credential server`);
    return await runChild({ command: file, args, env, stdio: 'inherit' });
  } finally {
    // The port is free and nothing is left behind before swrole exits with the child's status.
    await server.close();
  }
}
