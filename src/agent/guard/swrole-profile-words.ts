import type { ShellWord } from './shell-words.js';
import { findCommand, findSubcommand, optionsOf, type CommandSpec } from '../../registry/command-registry.js';
import { splitCommandLine } from '../../registry/split-command-line.js';

export interface SwroleProfileWords {
  /** Each word that names a profile, and where (`swrole exec`, `swrole exec --profile`). */
  profiles: Array<{ word: ShellWord; where: string }>;
  /** `swrole exec P CMD...`: the command line swrole runs, to be checked as a command of its own. */
  child: ShellWord[];
  /** The command's path (`agent claude`) when it is one of the user's own (the registry's `humanOnly`). */
  humanOnly?: string;
}

/**
 * What `swrole ARGS` names, read the way swrole itself reads it: the command from the registry (every command
 * whose operand is a profile, `--profile`/`--default` values), and the arguments split by the same parser as the
 * full path and the fast path, so a value (`--region us-east-1`) is never taken for the profile and the profile
 * is never missed behind an option. Unknown commands name nothing (swrole refuses them).
 */
export function swroleProfileWords(args: readonly ShellWord[]): SwroleProfileWords {
  const none = { profiles: [], child: [] };
  const top = args[0] === undefined ? undefined : findCommand(args[0].text);
  if (top === undefined) return none;
  let spec: CommandSpec = top;
  let path = args[0]!.text;
  let at = 1;
  while (spec.subcommands !== undefined) {
    const sub: ShellWord | undefined = args[at];
    const next: CommandSpec | undefined = sub === undefined ? undefined : findSubcommand(spec, sub.text);
    if (next === undefined) return none;
    spec = next;
    path = `${path} ${sub!.text}`;
    at++;
  }
  const rest = args.slice(at);
  const line = splitCommandLine(
    spec,
    rest.map((w) => w.text),
  );
  const options = optionsOf(spec);
  const profiles: SwroleProfileWords['profiles'] = [];
  for (const o of line.options) {
    if (o.name === undefined || options[o.name]?.profile !== true || o.valueAt === undefined || o.value === undefined) continue;
    const holder = rest[o.valueAt]!;
    profiles.push({ word: o.valueAt === o.at ? { text: o.value, dynamic: holder.dynamic } : holder, where: `swrole ${path} --${o.name}` });
  }
  const operands = spec.operand === 'profiles' ? line.positionals : spec.operand === 'profile' ? line.positionals.slice(0, 1) : [];
  for (const k of operands) profiles.push({ word: rest[k]!, where: `swrole ${path}` });
  return { profiles, child: rest.slice(line.childAt), ...(spec.humanOnly ? { humanOnly: path } : {}) };
}
