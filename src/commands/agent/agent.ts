import type { CommandModule } from '../command.js';
import type { Deps } from '../../platform/deps.js';
import { usageError } from '../../errors.js';

export const help = `Usage: swrole agent SUBCOMMAND ...

Give an AI coding agent a role: it gets a view of the granted profiles, never your keys or your MFA.

Subcommands:
  claude PROFILE...     set up Claude Code in a project (.claude/settings.local.json), see \`swrole agent claude --help\`
  env PROFILE...        the same view for any other agent or CI: prints AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE
  guard --allow LIST    Claude Code PreToolUse hook that denies commands naming other profiles or keys
  statusline            one line for Claude Code's statusLine: role, account, time left (no AWS call)
`;

export const handlesHelp = true;

const SUBCOMMANDS: Record<string, () => Promise<CommandModule>> = {
  claude: () => import('./claude.js'),
  env: () => import('./env.js'),
  guard: () => import('./guard.js'),
  statusline: () => import('./statusline.js'),
  'session-hook': () => import('./session-hook.js'),
  // The old name, still written in settings made by earlier versions.
  'env-file-hook': () => import('./session-hook.js'),
};

export async function run(args: string[], deps: Deps): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    (sub === undefined ? deps.stderr : deps.stdout).write(help);
    return sub === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (load === undefined) throw usageError('agent', `unknown subcommand "${sub}" (claude, env, guard, statusline)`);
  const command = await load();
  if (rest.includes('-h') || rest.includes('--help')) {
    deps.stdout.write(command.help);
    return 0;
  }
  return command.run(rest, deps);
}
