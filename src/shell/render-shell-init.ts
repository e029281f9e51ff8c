import type { ShellName } from '../registry/option-specs.js';
import { renderFishInit } from './render-fish-init.js';
import { renderPosixInit } from './render-posix-init.js';
import { renderPwshInit } from './render-pwsh-init.js';

/**
 * PURE: the script `swrole shell-init SHELL` prints: a `swrole` function that makes `swrole use PROFILE` change
 * the current shell, plus completion of subcommands and profile names. `swrolePath` is `swrole` (found on PATH
 * at run time, skipping the function) or an absolute path to pin one installation.
 */
export function renderShellInit(shell: ShellName, swrolePath: string): string {
  switch (shell) {
    case 'bash':
    case 'zsh':
      return renderPosixInit(shell, swrolePath);
    case 'fish':
      return renderFishInit(swrolePath);
    case 'pwsh':
      return renderPwshInit(swrolePath);
  }
}
