import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { COMMANDS } from '../registry/command-registry.js';
import { ENV_FORMATS, isEnvFormat, renderEnv } from '../output/render-env.js';
import { serverEnvToUnset } from '../server/server-env.js';
import { waitForSignal } from '../exec/wait-for-signal.js';
import { startProfileServer } from './profile-server.js';

export const help = `Usage: swrole serve PROFILE [--port N] [--print-env FORMAT] [options]

Serve the role's credentials to other processes on a loopback endpoint that AWS SDKs and the aws CLI
refresh from by themselves (the ECS container-credentials protocol), until Ctrl-C or SIGTERM (exit 0).
Prints AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN on stdout (with the
variables a client must not have, unset); give them to the processes that should use the role.

Listens on 127.0.0.1 only; every request needs the token (a fresh random one each run). Credentials are
answered from memory and refreshed ahead of expiry in the background. An MFA prompt, when needed, happens
before the endpoint starts; later, when the MFA session has expired, clients get 503 with the command to
run (\`swrole login PROFILE\`) and the server picks the new session up by itself.

Options:
  --port N              listen on this port (default: a free one)
  --print-env FORMAT    sh (default), fish, pwsh, cmd, dotenv, json
${CREDENTIAL_OPTIONS_HELP}
Examples:
  swrole serve prod                                    (prints the two variables, serves until Ctrl-C)
  swrole serve prod --port 9911 --print-env dotenv > run/aws.env &
                                                       (a dev server reads run/aws.env; kill %1 to stop)
To give one long-running command the endpoint for its lifetime, prefer \`swrole exec --server PROFILE -- CMD\`.
`;

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw usageError('serve', `--port ${JSON.stringify(text)}: use 1–65535`);
  return Number(text);
}

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('serve', args, COMMANDS.serve.options);
  if (positionals.length > 1) throw usageError('serve', `unexpected argument "${positionals[1]}"`);
  const format = values['print-env'] ?? 'sh';
  if (!isEnvFormat(format)) throw usageError('serve', `unknown --print-env "${format}" (one of ${ENV_FORMATS.join(', ')})`);
  const port = parsePort(values.port);
  const flags = readCredentialFlags('serve', values, positionals[0]);
  const reporters = createReporters(deps, flags.debug);
  const server = await startProfileServer(deps, { command: 'serve', flags, values, port, reporters });
  try {
    // Listening for the stop signals before the variables are out: a client may stop us as soon as it has read them.
    const stopped = waitForSignal(['SIGINT', 'SIGTERM', 'SIGHUP']);
    deps.stdout.write(renderEnv(server.vars, serverEnvToUnset(server.vars), format));
    deps.stderr.write(`swrole: serving credentials of profile "${server.prepared.plan.profile}" on 127.0.0.1; stop with Ctrl-C\n`);
    const signal = await stopped;
    reporters.debug(`serve: ${signal}: stopping`);
  } finally {
    await server.close();
  }
  return 0;
}
