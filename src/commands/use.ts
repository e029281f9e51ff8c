import type { Deps } from '../platform/deps.js';
import { SwroleError } from '../errors.js';

export const help = `Usage: swrole use PROFILE | swrole use | swrole use --clear

Switches the CURRENT shell to PROFILE's role credentials. A program cannot change its parent shell's
environment, so \`use\` is provided by the shell function that \`swrole shell-init\` prints; load it once:

  bash  ~/.bashrc                   eval "$(swrole shell-init bash)"
  zsh   ~/.zshrc (after compinit)   eval "$(swrole shell-init zsh)"
  fish  ~/.config/fish/config.fish  swrole shell-init fish | source
  pwsh  $PROFILE                    swrole shell-init pwsh | Out-String | Invoke-Expression

Without PROFILE, the function runs \`swrole env --pick\`: a profile picker on the terminal (type to filter,
Enter to pick, Esc or Ctrl-C to cancel); without a terminal, a usage error.

Without it: eval "$(swrole env PROFILE)".
`;

/** Reached only when the shell function is not loaded: say how to load it, change nothing. */
export async function run(_args: string[], _deps: Deps): Promise<number> {
  throw new SwroleError('E_USE_NEEDS_SHELL_INIT', '`swrole use` must run as a shell function to change your shell', {
    hint: 'load it with eval "$(swrole shell-init bash)" (or zsh/fish/pwsh; see `swrole use --help`), or run eval "$(swrole env PROFILE)"',
  });
}
