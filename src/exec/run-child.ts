import { type ChildProcess, spawn } from 'node:child_process';
import { SwroleError } from '../errors.js';

export interface RunChildOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  stdio: 'inherit';
}

/**
 * Signals a user or a supervisor sends to `swrole exec` that the child must see: termination requests,
 * the terminal's hang-up/quit, user signals, and window resizes (full-screen programs redraw on SIGWINCH).
 * Like aws-vault's runSubProcess and tsx's relaySignals we forward every one, so `kill <swrole pid>` reaches
 * the real program. (Ctrl-C also reaches the child straight from the terminal's process group; programs see
 * the SIGINT twice only if they count them within microseconds.)
 */
export const RELAYED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

/** Shells' conventions: 127 command not found, 126 found but not executable (POSIX "Exit Status"). */
export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;

function spawnError(command: string, error: NodeJS.ErrnoException): SwroleError | NodeJS.ErrnoException {
  if (error.code === 'ENOENT') {
    return new SwroleError('E_EXEC_NOT_FOUND', `command not found: ${command}`, {
      hint: 'check the spelling and PATH: swrole exec PROFILE -- COMMAND [ARGS...]',
      cause: error,
    });
  }
  if (error.code === 'EACCES' || error.code === 'ENOEXEC') {
    return new SwroleError('E_EXEC_NOT_EXECUTABLE', `cannot execute ${command} (${error.code})`, {
      hint: `check that ${command} is a program with execute permission (chmod +x)`,
      cause: error,
    });
  }
  return error;
}

/**
 * Runs `command` without a shell (arguments are never re-parsed), relays signals to it, and resolves with
 * its exit code, or 128 + signal number when it was killed (DESIGN.md: `exec` mirrors the child).
 */
export function runChild(options: RunChildOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    // Listeners go in before the spawn. Node installs the OS handler when the first listener is added and
    // runs listeners on a later tick, so a signal that arrives while the child starts is relayed to it
    // instead of killing swrole by the default action and orphaning the child.
    let child: ChildProcess | undefined;
    const relay = (signal: NodeJS.Signals) => {
      try {
        child?.kill(signal);
      } catch {
        // the child is already gone; its exit event follows
      }
    };
    const installed: NodeJS.Signals[] = [];
    for (const signal of RELAYED_SIGNALS) {
      try {
        // eslint-disable-next-line no-restricted-globals -- signal relay is process-wide by nature; exec/ is the one place below cli/ allowed to listen (DESIGN.md exec/)
        process.on(signal, relay);
        installed.push(signal);
      } catch {
        // not supported on this platform (Windows lacks most POSIX signals)
      }
    }
    const cleanup = () => {
      // eslint-disable-next-line no-restricted-globals -- removes the listeners installed above
      for (const signal of installed) process.removeListener(signal, relay);
    };
    try {
      child = spawn(options.command, options.args, { env: options.env, stdio: options.stdio, shell: false });
    } catch (error) {
      cleanup();
      reject(error);
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(spawnError(options.command, error));
    });
    child.once('exit', (code, signal) => {
      cleanup();
      if (code !== null) resolve(code);
      // node:os only when the child died of a signal: the usual exit does not load it (issue 16, exec on a hit).
      else void import('node:os').then(({ constants }) => resolve(128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))), reject);
    });
  });
}
