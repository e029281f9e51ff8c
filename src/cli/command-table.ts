import type { CommandModule } from '../commands/command.js';
import type { CommandPath } from '../registry/command-registry.js';

/** Commands that cli/ answers itself, from the registry alone. */
export type BuiltinPath = 'help';

/**
 * The lazy loader of every command the registry declares (src/registry/command-registry.ts), so that a command's
 * imports cost nothing until it is chosen. Typed over the registry's paths: a registered command without a loader,
 * or a loader for a command nobody registered, fails the type check.
 */
export const LOADERS: Record<Exclude<CommandPath, BuiltinPath>, () => Promise<CommandModule>> = {
  list: () => import('../commands/list.js'),
  explain: () => import('../commands/explain.js'),
  setup: () => import('../commands/setup.js'),
  'shell-init': () => import('../commands/shell-init.js'),
  use: () => import('../commands/use.js'),
  __complete: () => import('../commands/complete.js'),
  login: () => import('../commands/login.js'),
  exec: () => import('../commands/exec.js'),
  serve: () => import('../commands/serve.js'),
  console: () => import('../commands/console.js'),
  env: () => import('../commands/env.js'),
  process: () => import('../commands/process.js'),
  whoami: () => import('../commands/whoami.js'),
  sessions: () => import('../commands/sessions.js'),
  doctor: () => import('../commands/doctor/doctor.js'),
  logout: () => import('../commands/logout.js'),
  // One chunk for the whole group (keys-commands.ts).
  'keys add': () => import('../commands/keys/keys-commands.js').then((m) => m.add),
  'keys import': () => import('../commands/keys/keys-commands.js').then((m) => m.importKeys),
  'keys list': () => import('../commands/keys/keys-commands.js').then((m) => m.list),
  'keys remove': () => import('../commands/keys/keys-commands.js').then((m) => m.remove),
  'keys rotate': () => import('../commands/keys/keys-commands.js').then((m) => m.rotate),
  'sso profiles': () => import('../commands/sso/profiles.js'),
  'agent claude': () => import('../commands/agent/claude.js'),
  'agent env': () => import('../commands/agent/env.js'),
  'agent guard': () => import('../commands/agent/guard.js'),
  'agent statusline': () => import('../commands/agent/statusline.js'),
  'agent session-hook': () => import('../commands/agent/session-hook.js'),
  'agent env-file-hook': () => import('../commands/agent/session-hook.js'),
};
