import { optionsOf, type CommandSpec } from './command-registry.js';

/** One option word of swrole's own arguments, as the parser read it. */
export interface OptionWord {
  /** The option's name in the spec (`region` for `--region`, `format` for `-f`); undefined for an unknown or odd word. */
  name: string | undefined;
  /** Index in `args` of the option word. */
  at: number;
  /** Its value: `--name value`, `--name=value`, `-fvalue`; undefined for a boolean or a missing value. */
  value: string | undefined;
  /** Index in `args` of the word that holds the value (`at` itself for `--name=value`). */
  valueAt: number | undefined;
}

export interface CommandLine {
  /** swrole's own arguments, in order: what parseArgs validates and what the hit memo keys on. */
  own: string[];
  /** The options among them. */
  options: OptionWord[];
  /** Indexes in `args` of the positional arguments among them (for exec: the profile). */
  positionals: number[];
  /** `exec`: the command line to run (after `--`, or from the first word after the profile); else []. */
  child: string[];
  /** Index in `args` where `child` starts (args.length when there is none). */
  childAt: number;
}

/**
 * THE parse of a command's arguments, shared by the full path, the cache-hit fast path, `--help` detection and
 * the agent guard, so they cannot disagree about where swrole's arguments end (issue 15: the fast path once
 * split `exec P CMD ARGS -- MORE` at the `--` and ran MORE).
 *
 * For a command with a child (`exec PROFILE [options] [--] CMD [ARGS...]`), swrole's own arguments end at the
 * first `--`, or at the first positional word after PROFILE (the first positional at all once `--profile` was
 * given), so the child keeps its own flags and its own `--`. An option that takes a value consumes the next
 * word, whatever it looks like; parseArgs then judges the words (a value starting with `-` is refused there).
 * For the other commands every argument is swrole's; after `--` they are positionals, as parseArgs reads them.
 */
export function splitCommandLine(spec: CommandSpec, args: readonly string[]): CommandLine {
  const specs = optionsOf(spec);
  const shorts = new Map(Object.entries(specs).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const options: OptionWord[] = [];
  const positionals: number[] = [];
  let profileGiven = false;
  let end = args.length;
  let childAt = args.length;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      if (spec.child) {
        end = i;
        childAt = i + 1;
        break;
      }
      for (let k = i + 1; k < args.length; k++) positionals.push(k);
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const word = readOption(arg, i, specs, shorts);
      if (word.name !== undefined && word.value === undefined && specs[word.name]!.type === 'string' && i + 1 < args.length) {
        word.value = args[i + 1]!;
        word.valueAt = ++i;
      }
      if (word.name === 'profile') profileGiven = true;
      options.push(word);
      continue;
    }
    if (spec.child && (positionals.length > 0 || profileGiven)) {
      end = i;
      childAt = i;
      break;
    }
    positionals.push(i);
  }
  return { own: args.slice(0, end), options, positionals, child: args.slice(childAt), childAt };
}

function readOption(arg: string, at: number, specs: ReturnType<typeof optionsOf>, shorts: Map<string, string>): OptionWord {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const known = Object.hasOwn(specs, name) ? name : undefined;
    return eq === -1
      ? { name: known, at, value: undefined, valueAt: undefined }
      : { name: known, at, value: arg.slice(eq + 1), valueAt: at };
  }
  // -f, -fVALUE (a short string option with its value attached); anything else (-xyz groups) is left to parseArgs.
  const name = shorts.get(arg[1]!);
  if (name === undefined) return { name: undefined, at, value: undefined, valueAt: undefined };
  if (arg.length === 2) return { name, at, value: undefined, valueAt: undefined };
  return specs[name]!.type === 'string'
    ? { name, at, value: arg.slice(2), valueAt: at }
    : { name: undefined, at, value: undefined, valueAt: undefined };
}

/**
 * The fast path's allow-list: true when every option word is known, carries what its type needs, and is marked
 * `fastPath` in the spec. Anything else (--debug, --help, --no-cache, --mfa-code, a new flag nobody marked, an
 * unknown or odd word) → the full path.
 */
export function fastPathAllows(spec: CommandSpec, names: Iterable<string | undefined>): boolean {
  if (!spec.fastPath) return false;
  const specs = optionsOf(spec);
  for (const name of names) {
    if (name === undefined || !Object.hasOwn(specs, name) || specs[name]!.fastPath !== true) return false;
  }
  return true;
}

/** The words the fast path may replay: known, allow-listed, each string option with its value. */
export function isReplayable(spec: CommandSpec, line: CommandLine): boolean {
  const specs = optionsOf(spec);
  return (
    fastPathAllows(
      spec,
      line.options.map((o) => o.name),
    ) && line.options.every((o) => (specs[o.name!]!.type === 'string') === (o.value !== undefined))
  );
}

/** `-h`/`--help` among swrole's own options (not a value, not the child's). */
export function wantsHelp(spec: CommandSpec, args: readonly string[]): boolean {
  return splitCommandLine(spec, args).options.some((o) => o.name === 'help');
}
