import type { Deps } from '../platform/deps.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { renderShellInit } from '../shell/render-shell-init.js';
import { isShellName, SHELL_NAMES } from '../registry/option-specs.js';
import { COMMANDS } from '../registry/command-registry.js';

export const help = `Usage: swrole shell-init [bash|zsh|fish|pwsh] [--path ABSOLUTE_PATH]

Prints a shell function named swrole that makes \`swrole use PROFILE\` switch the current shell
(it evaluates \`swrole env PROFILE --format sh|fish|pwsh\`), \`swrole use --clear\` undo it, and passes
every other subcommand through; plus completion of subcommands and profile names. Without a shell name:
the one $SHELL names.
SWROLE_PROFILE holds the active profile, for your prompt. AWS_PROFILE is cleared on \`use\`; \`use --clear\` restores
the AWS_PROFILE, region and keys the shell had before the first \`use\`.

Options:
  --path PATH   call this swrole binary instead of the one found on PATH

Setup:
  bash  ~/.bashrc                   eval "$(swrole shell-init bash)"
  zsh   ~/.zshrc (after compinit)   eval "$(swrole shell-init zsh)"
  fish  ~/.config/fish/config.fish  swrole shell-init fish | source
  pwsh  $PROFILE                    swrole shell-init pwsh | Out-String | Invoke-Expression
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('shell-init', args, COMMANDS['shell-init'].options);
  const [named, extra] = positionals;
  // `swrole shell-init` alone: the login shell, as $SHELL names it (`/usr/bin/zsh` → zsh).
  const fromEnv = deps.env.SHELL?.split(/[\\/]/)
    .at(-1)
    ?.replace(/\.exe$/i, '');
  const shell = named ?? (fromEnv !== undefined && isShellName(fromEnv) ? fromEnv : undefined);
  if (shell === undefined) {
    const seen = deps.env.SHELL ? ` ($SHELL is ${deps.env.SHELL})` : ' ($SHELL is not set)';
    throw usageError('shell-init', `name a shell: ${SHELL_NAMES.join(', ')}${seen}`);
  }
  if (extra !== undefined) throw usageError('shell-init', `unexpected argument "${extra}"`);
  if (!isShellName(shell)) throw usageError('shell-init', `unknown shell "${shell}" (supported: ${SHELL_NAMES.join(', ')})`);
  const path = values.path ?? 'swrole';
  if (path !== 'swrole' && !/^(?:\/|[A-Za-z]:[\\/])/.test(path)) throw usageError('shell-init', `--path must be absolute, got "${path}"`);
  deps.stdout.write(renderShellInit(shell, path));
  return 0;
}
