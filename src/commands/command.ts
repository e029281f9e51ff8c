import type { Deps } from '../platform/deps.js';

/**
 * A command module, loaded lazily by cli/ (src/cli/command-table.ts) for a command the registry declares
 * (src/registry/command-registry.ts), so its imports cost nothing until chosen.
 */
export interface CommandModule {
  /** Full help text: usage line, description, options, examples. */
  help: string;
  /** Runs the command; returns the process exit code. Throws SwroleError for user-facing failures. */
  run(args: string[], deps: Deps): Promise<number>;
}
