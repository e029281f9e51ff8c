import type { CommandModule } from '../commands/command.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Every subcommand, loaded lazily so that a command's imports cost nothing until it is chosen. */
export const COMMANDS: Record<string, CommandEntry> = {
  list: { summary: 'list every profile with its kind, role, account, source, MFA and region', load: () => import('../commands/list.js') },
  explain: { summary: 'show how a profile resolves, step by step (no AWS call)', load: () => import('../commands/explain.js') },
  setup: {
    summary: 'add PROFILE.swrole credential_process profiles to ~/.aws/config (lossless, backed up)',
    load: () => import('../commands/setup.js'),
  },
  'shell-init': {
    summary: 'print the shell function for `swrole use` with completion (bash, zsh, fish, pwsh)',
    load: () => import('../commands/shell-init.js'),
  },
  use: { summary: 'switch the current shell to a profile (needs `swrole shell-init`)', load: () => import('../commands/use.js') },
  __complete: { summary: '(hidden) completion helper', load: () => import('../commands/complete.js') },
  login: {
    summary: 'MFA once per source identity (GetSessionToken, cached), then pre-fetch the role',
    load: () => import('../commands/login.js'),
  },
  exec: {
    summary: "run a command with the role's credentials in its environment (--server: a refreshing endpoint instead)",
    load: () => import('../commands/exec.js'),
  },
  serve: {
    summary: 'serve the role to other processes on a loopback credential endpoint (SDKs refresh from it)',
    load: () => import('../commands/serve.js'),
  },
  console: {
    summary: 'open the AWS console signed in as the role (or --print the sign-in URL)',
    load: () => import('../commands/console.js'),
  },
  env: {
    summary: "print the role's credentials as shell exports (sh, fish, pwsh, cmd, dotenv, json)",
    load: () => import('../commands/env.js'),
  },
  process: { summary: 'credential_process JSON for SDKs and tools (never prompts)', load: () => import('../commands/process.js') },
  whoami: {
    summary: "account, ARN and expiry of a profile's credentials (GetCallerIdentity)",
    load: () => import('../commands/whoami.js'),
  },
  logout: { summary: 'remove cached sessions of a profile, or --all', load: () => import('../commands/logout.js') },
  agent: { summary: 'give an AI coding agent a role: claude, env, guard, statusline', load: () => import('../commands/agent/agent.js') },
};
