// A real terminal for end-to-end tests: tmux gives each script a pty (stdin, stdout, stderr and /dev/tty are
// the terminal), the test types into it with send-keys and reads the screen with capture-pane. Each test file
// gets its own tmux server (-L socket), killed in `after`.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `skip` value for tests that need tmux: a reason when it is missing (outside CI; in CI a missing tmux fails). */
export const noTmux: string | false = spawnSync('tmux', ['-V']).status !== 0 && !process.env.CI ? 'tmux not installed' : false;

/** Throws in CI when tmux is missing (call in `before`): a terminal test must not pass by being skipped there. */
export function requireTmuxInCi(): void {
  if (spawnSync('tmux', ['-V']).status !== 0 && process.env.CI) {
    throw new Error('tmux is required for the terminal tests (apt-get install tmux)');
  }
}

/** Single-quoted for sh: the value is taken as it is. */
export const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface TerminalSession {
  /** The tmux target (session name). */
  target: string;
  /** The screen now, and 100 lines of scrollback, long lines joined. */
  screen(): string;
  /** Polls the screen until `pattern` is on it; throws with the screen after `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<string>;
  /** tmux send-keys: literal text or key names (`Enter`, `C-c`, `Down`, `Escape`). */
  keys(...keys: string[]): void;
  /** Literal text (send-keys -l: no key-name lookup, UTF-8 kept). */
  type(text: string): void;
  /** The value of a tmux format for the pane (`#{cursor_flag}`, `#{cursor_x}`). */
  format(format: string): string;
}

export interface Tmux {
  /** Runs `lines` in bash in a new tmux session (`width`×`height`), after exporting `env`. */
  start(name: string, dir: string, env: Record<string, string>, lines: string[], size?: { width: number; height: number }): TerminalSession;
  /** Kills the tmux server (call in `after`). */
  kill(): void;
  /** tmux itself, on this file's server. */
  run(...args: string[]): string;
}

export function createTmux(prefix: string): Tmux {
  const socket = `${prefix}-${process.pid}`;
  const run = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000 });
  return {
    run,
    kill: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
    start(name, dir, env, lines, size = { width: 200, height: 50 }) {
      const script = join(dir, `${name}.sh`);
      writeFileSync(script, [...Object.entries(env).map(([k, v]) => `export ${k}=${shQuote(v)}`), ...lines].join('\n'));
      // Each session its own name: a new server right after kill-server can fail.
      const target = `${prefix}-${name}`;
      run('new-session', '-d', '-s', target, '-x', String(size.width), '-y', String(size.height), `bash ${shQuote(script)}`);
      const screen = () => run('capture-pane', '-p', '-J', '-t', target, '-S', '-100');
      return {
        target,
        screen,
        async waitFor(pattern, ms) {
          const deadline = Date.now() + ms;
          let text = '';
          while (Date.now() < deadline) {
            text = screen();
            if (pattern.test(text)) return text;
            await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error(`timed out waiting for ${pattern} on the terminal:\n${text}`);
        },
        keys: (...keys) => void run('send-keys', '-t', target, ...keys),
        type: (text) => void run('send-keys', '-t', target, '-l', text),
        format: (format) => run('display-message', '-p', '-t', target, format).trim(),
      };
    },
  };
}
