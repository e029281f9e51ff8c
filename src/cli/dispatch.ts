import type { Deps } from '../platform/deps.js';
import { SwroleError } from '../errors.js';
import { editDistance } from '../config/edit-distance.js';
import { COMMANDS, findCommand, findSubcommand, visibleNames, type CommandPath, type CommandSpec } from '../registry/command-registry.js';
import { wantsHelp } from '../registry/split-command-line.js';
import { LOADERS, type BuiltinPath } from './command-table.js';
import { renderGroupHelp, renderHelp } from './render-help.js';
import { refuseInsideAgent } from '../agent/detect-agent.js';

/**
 * The closest visible names: those that start with what was typed, else those one edit away (two for words of 4+
 * letters: a transposition is two edits), up to 3, closest first.
 */
export function suggestCommands(typed: string, names: readonly string[]): string[] {
  const scored = names
    .map((name) => ({ name, distance: typed.length >= 2 && name.startsWith(typed) ? 0 : editDistance(typed, name) }))
    .filter((s) => s.distance <= (typed.length <= 3 ? 1 : 2));
  const best = Math.min(...scored.map((s) => s.distance));
  return scored
    .filter((s) => s.distance === best)
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/** A usage error (exit 2) for a word that names no registered command, with "did you mean". */
function unknown(message: string, typed: string, names: readonly string[], helpCommand: string): SwroleError {
  const suggestions = suggestCommands(typed, names);
  const hint =
    suggestions.length > 0
      ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}? (\`${helpCommand}\` lists them all)`
      : `run \`${helpCommand}\` for the list`;
  return new SwroleError('E_USAGE', message, { hint });
}

interface Target {
  /** `exec`, `agent claude`; a group's path when no subcommand was named. */
  path: string;
  spec: CommandSpec;
  args: string[];
}

/** Walks the registry: the command (or group) that `words` name, and the arguments left for it. */
export function resolveTarget(words: readonly string[]): Target {
  const [first, ...rest] = words;
  let spec = first === undefined ? undefined : findCommand(first);
  if (first === undefined || spec === undefined) {
    throw unknown(`unknown command "${first ?? ''}"`, first ?? '', visibleNames(COMMANDS), 'swrole --help');
  }
  let path = first;
  let args = rest;
  while (spec.subcommands !== undefined && args[0] !== undefined && args[0] !== '-h' && args[0] !== '--help') {
    const sub: string = args[0];
    const next = findSubcommand(spec, sub);
    if (next === undefined) {
      const names = visibleNames(spec.subcommands);
      throw unknown(`${path}: unknown subcommand "${sub}" (${names.join(', ')})`, sub, names, `swrole ${path} --help`);
    }
    spec = next;
    path = `${path} ${sub}`;
    args = args.slice(1);
  }
  return { path, spec, args };
}

async function helpOf(target: Target): Promise<string> {
  if (target.spec.subcommands !== undefined) return renderGroupHelp(target.path, target.spec);
  if (target.path === ('help' satisfies BuiltinPath)) return renderHelp();
  return (await LOADERS[target.path as Exclude<CommandPath, BuiltinPath>]()).help;
}

/** `swrole help [COMMAND [SUBCOMMAND]]`. */
async function runHelp(args: readonly string[], deps: Deps): Promise<number> {
  const words = args.filter((a) => !a.startsWith('-'));
  deps.stdout.write(words.length === 0 ? renderHelp() : await helpOf(resolveTarget(words)));
  return 0;
}

/** argv (after the fast path declined) → the registered command, its help, or a usage error. */
export async function dispatch(argv: readonly string[], deps: Deps): Promise<number> {
  const target = resolveTarget(argv);
  if (target.spec.subcommands !== undefined) {
    // `swrole agent` alone is a usage error; `swrole agent --help` is not.
    const asked = target.args.length > 0;
    (asked ? deps.stdout : deps.stderr).write(renderGroupHelp(target.path, target.spec));
    return asked ? 0 : 2;
  }
  if (wantsHelp(target.spec, target.args)) {
    deps.stdout.write(await helpOf(target));
    return 0;
  }
  if (target.path === ('help' satisfies BuiltinPath)) return runHelp(target.args, deps);
  if (target.spec.humanOnly) refuseInsideAgent(target.path, deps.env);
  const command = await LOADERS[target.path as Exclude<CommandPath, BuiltinPath>]();
  return command.run(target.args, deps);
}
