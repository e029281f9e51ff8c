import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS, CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { issueCredentials } from './issue-credentials.js';
import { assertNotNested } from '../exec/child-env.js';
import { runWithCredentials } from '../exec/run-with-credentials.js';

export const help = `Usage: swrole exec PROFILE [options] [--] COMMAND [ARGS...]

Run COMMAND with the role's credentials, region, SWROLE_PROFILE and SWROLE_EXPIRATION in its
environment (AWS_PROFILE and stale keys removed). Signals are relayed; swrole exits with the command's
status (128+signal when it was killed). Refuses to run inside another swrole exec unless --force.

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

const EXEC_OPTIONS = { ...CREDENTIAL_OPTIONS, force: { type: 'boolean' }, server: { type: 'boolean' } } as const;
const VALUE_FLAGS = new Set(
  Object.entries(EXEC_OPTIONS)
    .filter(([, o]) => o.type === 'string')
    .map(([name]) => `--${name}`),
);

/**
 * Splits `[options] PROFILE [options] [--] COMMAND...`: swrole's own flags end at `--` or at the first
 * word after PROFILE, so the command keeps its own flags (`aws s3 ls --region x`).
 */
export function splitExecArgs(args: string[]): { own: string[]; command: string[] } {
  const own: string[] = [];
  let positionals = 0;
  const profileFlag = args.some((a) => a === '--profile' || a.startsWith('--profile='));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { own, command: args.slice(i + 1) };
    if (arg.startsWith('-') && arg !== '-') {
      own.push(arg);
      if (VALUE_FLAGS.has(arg) && i + 1 < args.length) own.push(args[++i]!);
      continue;
    }
    if (positionals === 0 && !profileFlag) {
      own.push(arg);
      positionals++;
      continue;
    }
    return { own, command: args.slice(i) };
  }
  return { own, command: [] };
}

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { own, command } = splitExecArgs(args);
  const { values, positionals } = parseOptions('exec', own, EXEC_OPTIONS);
  if (command.length === 0) throw usageError('exec', 'no command given (swrole exec PROFILE -- COMMAND...)');
  const flags = readCredentialFlags('exec', values, positionals[0]);
  assertNotNested(deps.env, values.force === true);
  const reporters = createReporters(deps, flags.debug);
  if (values.server === true) return (await import('./exec-server.js')).runExecServer(deps, { flags, values, reporters }, command);
  // The hit memo keys on swrole's own arguments, which only `--` delimits for certain.
  const memoArgs = args.includes('--') ? args.slice(0, args.indexOf('--')) : undefined;
  const { prepared, result } = await issueCredentials(deps, { command: 'exec', flags, values, allowPrompt: true, memoArgs, reporters });
  reporters.debug(`exec: ${command[0]} (${command.length - 1} argument(s))`);
  return runWithCredentials(deps.env, result.credentials, prepared.plan, command);
}
