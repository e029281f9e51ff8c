import type { Deps } from '../platform/deps.js';

/** A subcommand module: parsed lazily by cli/, so its imports cost nothing until chosen. */
export interface CommandModule {
  /** Full help text: usage line, description, options, examples. */
  help: string;
  /** A dispatcher with subcommands answers --help itself (so `swrole agent claude --help` reaches `claude`). */
  handlesHelp?: boolean;
  /** Runs the command; returns the process exit code. Throws SwroleError for user-facing failures. */
  run(args: string[], deps: Deps): Promise<number>;
}
