/**
 * What the shell completions offer. Kept here, beside the init scripts, so the four shells agree.
 * Profile names come from the hidden `swrole __complete profiles` (src/commands/complete.ts), one per line.
 */
export const COMMAND_WORDS = [
  'use',
  'exec',
  'env',
  'process',
  'login',
  'whoami',
  'list',
  'explain',
  'logout',
  'doctor',
  'setup',
  'agent',
  'shell-init',
  'help',
] as const;

/** Subcommands whose first argument is a profile name. */
export const PROFILE_COMMANDS = ['use', 'exec', 'env', 'process', 'login', 'whoami', 'explain', 'logout', 'setup', 'console'] as const;

export const SHELL_WORDS = ['bash', 'zsh', 'fish', 'pwsh'] as const;

export const AGENT_WORDS = ['claude', 'env', 'guard'] as const;

/** Variables `swrole use --clear` always unsets, besides those the last `use` exported. */
export const CLEAR_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'SWROLE_PROFILE',
] as const;

export type ShellName = (typeof SHELL_WORDS)[number];

export function isShellName(value: string): value is ShellName {
  return (SHELL_WORDS as readonly string[]).includes(value);
}
