import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { SwroleError, isSwroleError, usageError } from '../errors.js';
import { issueCredentials, memoArgsOf } from './issue-credentials.js';
import { COMMANDS } from '../registry/command-registry.js';
import { splitCommandLine } from '../registry/split-command-line.js';
import { renderCredentialProcess } from '../output/credential-process-json.js';
import { resolveProfileName } from '../config/resolve-selection.js';
import { commandLine } from '../platform/command-hint.js';

export const help = `Usage: swrole process PROFILE [options]

Print the role's credentials as credential_process JSON (Version 1) on stdout, for AWS SDKs and tools:

  [profile work.swrole]
  credential_process = swrole process work

Never prompts, even on a terminal (it runs inside SDKs): when an MFA code is needed and no MFA session
is cached, it fails at once and tells you to run \`swrole login PROFILE\`. Nothing is printed on stdout
on failure.

${CREDENTIAL_OPTIONS_HELP}
Examples:
  swrole process prod
  swrole process prod --source-config ~/.aws/config.team   (what an agent view's credential_process runs)
`;

/**
 * A person ran `swrole process` in a terminal and got "no terminal is available": confusing, since there is one.
 * Say why it never prompts (it runs inside SDKs, whose terminal is not theirs to use) and what to run instead.
 */
function neverPrompts(error: SwroleError, deps: Parameters<CommandModule['run']>[1], flag: string | undefined): SwroleError {
  const profile = resolveProfileName(deps.env, flag);
  const login = commandLine('swrole', 'login', profile);
  return new SwroleError(
    'E_MFA_REQUIRED',
    `profile "${profile}": an MFA code is needed, and \`swrole process\` never prompts, even in a terminal: it runs inside AWS SDKs and tools (credential_process), which cannot show a prompt`,
    { hint: `run \`${login}\` first; then every process and SDK uses that session until it expires`, cause: error },
  );
}

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('process', args, COMMANDS.process.options);
  if (positionals.length > 1) throw usageError('process', `unexpected argument "${positionals[1]}"`);
  const flags = readCredentialFlags('process', values, positionals[0]);
  const reporters = createReporters(deps, flags.debug);
  try {
    const memoArgs = memoArgsOf(COMMANDS.process, splitCommandLine(COMMANDS.process, args), values);
    const { result } = await issueCredentials(deps, { command: 'process', flags, values, allowPrompt: false, memoArgs, reporters });
    deps.stdout.write(renderCredentialProcess(result.credentials));
    return 0;
  } catch (error) {
    // (A long role session's MFA-on-AssumeRole message already says what to do.)
    if (isSwroleError(error) && error.code === 'E_MFA_REQUIRED' && deps.interactive && !error.message.includes('on AssumeRole itself'))
      throw neverPrompts(error, deps, flags.profile);
    if (isSwroleError(error)) throw error;
    // Inside an SDK a stack trace is noise: one line, non-zero exit (the SDK shows our stderr).
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SwroleError('E_INTERNAL', `process: unexpected error: ${message}`, {
      hint: 'run again with --debug, and report it if it persists',
      cause: error,
    });
  }
}
