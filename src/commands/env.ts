import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { issueCredentials, memoArgsOf } from './issue-credentials.js';
import { COMMANDS } from '../registry/command-registry.js';
import { splitCommandLine } from '../registry/split-command-line.js';
import { credentialEnv, envToUnset } from '../output/env-vars.js';
import { ENV_FORMATS, SHELL_FORMATS, isEnvFormat, renderEnv } from '../output/render-env.js';
import { pickProfile } from './pick-profile.js';

export const help = `Usage: swrole env [PROFILE] [--format sh|fish|pwsh|cmd|dotenv|json] [options]

Print the role's credentials as environment variables, for eval. AWS_PROFILE and stale keys are unset.
An MFA prompt, when needed, goes to the terminal (/dev/tty), so eval "$(...)" still works.
Without PROFILE (and no AWS_PROFILE) on a terminal, a profile picker opens on stderr: type to filter,
arrows or Ctrl-N/Ctrl-P to move, Enter to pick, Esc or Ctrl-C to cancel. Elsewhere: the default profile.

Options:
  --format F            sh (default), fish, pwsh, cmd, dotenv, json
  --names-comment       start with a comment naming the variables set (\`# swrole-names: AWS_ACCESS_KEY_ID ...\`),
                        for sh, fish and pwsh; \`swrole use\` reads it to know what \`use --clear\` unsets
  --pick                choose the profile in the picker even with AWS_PROFILE set (what \`swrole use\`
                        without a profile runs); a usage error without a terminal
${CREDENTIAL_OPTIONS_HELP}
Examples:
  eval "$(swrole env prod)"
  swrole env prod --format fish | source
  swrole env prod --format dotenv > .env.aws
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('env', args, COMMANDS.env.options);
  if (positionals.length > 1) throw usageError('env', `unexpected argument "${positionals[1]}"`);
  const format = values.format ?? 'sh';
  if (!isEnvFormat(format)) throw usageError('env', `unknown --format "${format}" (one of ${ENV_FORMATS.join(', ')})`);
  const namesComment = values['names-comment'] === true;
  if (namesComment && !SHELL_FORMATS.includes(format))
    throw usageError('env', `--names-comment needs --format ${SHELL_FORMATS.join(', ')}`);
  const flags = readCredentialFlags('env', values, positionals[0]);
  const picked = await pickProfile(deps, 'env', flags, values.pick === true);
  if (picked !== undefined) flags.profile = picked;
  const reporters = createReporters(deps, flags.debug);
  const { prepared, result } = await issueCredentials(deps, {
    command: 'env',
    flags,
    values,
    allowPrompt: true,
    // A picked profile is not memoised: the same words must open the picker again, not replay this pick.
    memoArgs: picked !== undefined ? undefined : memoArgsOf(COMMANDS.env, splitCommandLine(COMMANDS.env, args), values),
    reporters,
  });
  const vars = credentialEnv(result.credentials, { region: prepared.plan.region, profile: prepared.plan.profile });
  deps.stdout.write(renderEnv(vars, envToUnset(vars), format, { namesComment }));
  return 0;
}
