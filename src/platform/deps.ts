import type { InputResult } from './read-bounded-input.js';
import type { PickerTerminal } from './picker-terminal.js';

/**
 * Everything below cli/ gets the outside world through Deps: environment, clock, home, stdio, tty.
 * Tests build Deps with a temp HOME, a fake clock and captured output; the CLI builds them from `process`.
 * The real filesystem is used directly (tests run on real temp dirs), but its *locations* come from here.
 */
export interface Writer {
  write(text: string): void;
}

/** The effective user, for ownership checks of swrole's directories (src/platform/trusted-dir.ts). */
export interface PosixUser {
  uid: number;
  gid: number;
}

export interface Deps {
  /** Environment variables as the process saw them (never mutate). */
  env: Readonly<Record<string, string | undefined>>;
  /** Current time in milliseconds since the epoch. */
  now(): number;
  /** The user's home directory (HOME, else USERPROFILE, else os.homedir()). */
  homedir: string;
  cwd: string;
  platform: NodeJS.Platform;
  /** The effective uid/gid; undefined on Windows (no POSIX owners or modes: the checks are skipped there). */
  user: PosixUser | undefined;
  pid: number;
  stdout: Writer;
  stderr: Writer;
  /** True when a human can be prompted: stdin or /dev/tty is a terminal and no agent is detected. */
  interactive: boolean;
  /**
   * Whether the profile picker may open (issue 13): `interactive`, and stdin and stderr look like terminals.
   * Cheap (no node:tty), so the cache-hit fast path can ask; a superset of what openPickerTerminal accepts.
   * Absent: never.
   */
  mayPick?: boolean;
  /**
   * The terminal for the profile picker when stdin and stderr are terminals and `interactive` holds; else
   * undefined. Absent: never (tests that do not drive a terminal).
   */
  openPickerTerminal?(): Promise<PickerTerminal | undefined>;
  /**
   * Standard input, whole, bounded in size and time (hook input from Claude Code): never hangs when a harness
   * keeps the pipe open or a human runs the hook by hand.
   */
  readStdin(maxBytes: number, timeoutMs: number): Promise<InputResult>;
  /** Absolute path of the node binary and of the swrole entry script (for credential_process lines). */
  nodePath: string;
  selfPath: string;
  /** How swrole was invoked (`swrole login prod`, secrets masked), shown to processes waiting on our locks. */
  invocation?: string;
  /**
   * The OS account's name (os.userInfo), for SourceIdentity and session names when USER/LOGNAME are unset, as in
   * containers (issue 13). Absent in tests that do not care.
   */
  osUserName?: string | undefined;
  /** The IANA time zone that times shown to people are given in (the process's TZ, resolved in cli/); else UTC. */
  timeZone?: string | undefined;
}
