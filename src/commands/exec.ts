import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { issueCredentials, memoArgsOf } from './issue-credentials.js';
import { COMMANDS } from '../registry/command-registry.js';
import { splitCommandLine } from '../registry/split-command-line.js';
import { assertNotNested } from '../exec/child-env.js';
import { runWithCredentials } from '../exec/run-with-credentials.js';
import { pickProfile } from './pick-profile.js';

export const help = `Usage: swrole exec PROFILE [options] [--] COMMAND [ARGS...]
       swrole exec [options] -- COMMAND [ARGS...]      (on a terminal: pick the profile from a list)

Run COMMAND with the role's credentials, region, SWROLE_PROFILE and SWROLE_EXPIRATION in its
environment (AWS_PROFILE and stale keys removed). Signals are relayed; swrole exits with the command's
status (128+signal when it was killed). Refuses to run inside another swrole exec unless --force.
Without PROFILE (and no AWS_PROFILE) on a terminal, a profile picker opens on stderr: type to filter,
arrows or Ctrl-N/Ctrl-P to move, Enter to pick, Esc or Ctrl-C to cancel. Elsewhere: the default profile.

Options:
  --force               allow nesting inside another \`swrole exec\`
  --server              give COMMAND a loopback credential endpoint instead of keys
                        (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN): SDKs refresh
                        from it by themselves, so long runs outlive the role session
${CREDENTIAL_OPTIONS_HELP}
Examples:
  swrole exec prod -- aws sts get-caller-identity
  swrole exec prod --duration 1h -- terraform plan
  swrole exec --server prod -- terraform apply      (runs for hours; credentials refreshed ahead of expiry)
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  // The one split the fast path makes too (src/registry/split-command-line.ts): swrole's arguments, then the command's.
  const line = splitCommandLine(COMMANDS.exec, args);
  const command = line.child;
  const { values, positionals } = parseOptions('exec', line.own, COMMANDS.exec.options);
  if (command.length === 0) throw usageError('exec', 'no command given (swrole exec PROFILE -- COMMAND...)');
  const flags = readCredentialFlags('exec', values, positionals[0]);
  assertNotNested(deps.env, values.force === true);
  const picked = await pickProfile(deps, 'exec', flags);
  if (picked !== undefined) flags.profile = picked;
  const reporters = createReporters(deps, flags.debug);
  if (values.server === true) return (await import('./exec-server.js')).runExecServer(deps, { flags, values, reporters }, command);
  // A picked profile is not memoised: the same words must open the picker again, not replay this pick.
  const memoArgs = picked !== undefined ? undefined : memoArgsOf(COMMANDS.exec, line, values);
  const { prepared, result } = await issueCredentials(deps, { command: 'exec', flags, values, allowPrompt: true, memoArgs, reporters });
  reporters.debug(`exec: ${command[0]} (${command.length - 1} argument(s))`);
  return runWithCredentials(deps.env, result.credentials, prepared.plan, command);
}
