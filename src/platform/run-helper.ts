/**
 * Runs a helper program (`credential_process`, `mfa_process`) with a deadline that holds (issue 15).
 *
 * Node's `spawn(..., { timeout })` sends SIGTERM to the child alone and then waits for its pipes: a helper
 * that ignores SIGTERM, or a grandchild it put in the background that still holds stdout, kept swrole
 * waiting past 200 s. So the helper runs in its own process group (detached: its own session), and at the
 * deadline the whole group gets SIGTERM, then SIGKILL after a short grace, and swrole stops waiting on the
 * pipes whatever is left. A helper that exits but leaves something in its group holding the pipe is
 * answered from what it printed, and the leftovers are ended the same way.
 *
 * Its own session also means the terminal's Ctrl-C no longer reaches the helper directly, so while it runs
 * swrole relays SIGINT/SIGTERM/SIGHUP to its group and then dies of the same signal, as it did before.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface HelperLimits {
  /** The helper (and all it started) must be done by then. */
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL to the group (default 1 s). */
  graceMs?: number;
  /** After the helper exited, how long its pipes may stay open before swrole stops reading (default 500 ms). */
  drainMs?: number;
}

export interface HelperSpec {
  file: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** `pipe`: captured (shown on failure); `inherit`: the helper talks to the user on swrole's stderr. */
  stderr: 'pipe' | 'inherit';
  platform: NodeJS.Platform;
  limits: HelperLimits;
  /** Bounds on what is kept of stdout and stderr (characters). */
  maxStdout?: number;
  maxStderr?: number;
}

export interface HelperOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The deadline passed and the helper's process group was killed. */
  timedOut: boolean;
}

const RELAYED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const POLL_MS = 25;

/** Resolves when the helper is done or its deadline has been enforced; rejects only if it could not start. */
export function runHelper(spec: HelperSpec): Promise<HelperOutcome> {
  const graceMs = spec.limits.graceMs ?? 1000;
  const drainMs = spec.limits.drainMs ?? 500;
  const maxStdout = spec.maxStdout ?? 1 << 20;
  const maxStderr = spec.maxStderr ?? 4096;
  // Windows has no process groups to signal; there the child alone is killed and the pipes abandoned.
  const grouped = spec.platform !== 'win32';
  return new Promise((resolve, reject) => {
    // Assigned right below; the relay, installed before it, runs only on a later turn of the event loop.
    let child!: ChildProcess;
    let stdout = '';
    let stderr = '';
    let code: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let exited = false;
    let timedOut = false;
    let done = false;
    let relaying = false;
    const timers: NodeJS.Timeout[] = [];

    const signalGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        // eslint-disable-next-line no-restricted-globals -- a negative pid signals the helper's whole process group; only process.kill can
        if (grouped) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // the group is already empty
      }
    };
    const groupGone = () => {
      if (!grouped || child.pid === undefined) return true;
      try {
        // eslint-disable-next-line no-restricted-globals -- signal 0 to the group: does any member remain?
        process.kill(-child.pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    /** SIGTERM to the group, then `then()` once it is empty or the grace is over, after a SIGKILL to what is left. */
    const stopGroup = (then: () => void) => {
      signalGroup('SIGTERM');
      let waited = 0;
      const poll = () => {
        if (!groupGone() && waited < graceMs) {
          waited += POLL_MS;
          timers.push(setTimeout(poll, POLL_MS));
          return;
        }
        signalGroup('SIGKILL');
        then();
      };
      poll();
    };
    const relay = (sig: NodeJS.Signals) => {
      // From here on swrole only waits to die: nothing resolves, so no error is printed meanwhile.
      relaying = true;
      unlisten();
      // Background jobs of a non-interactive shell ignore SIGINT: pass the signal on, then stop the group.
      signalGroup(sig);
      stopGroup(() => {
        // eslint-disable-next-line no-restricted-globals -- die of the same signal, as swrole would have without the relay
        process.kill(process.pid, sig);
      });
    };
    const unlisten = () => {
      // eslint-disable-next-line no-restricted-globals -- removes the relay installed below
      for (const sig of RELAYED) process.removeListener(sig, relay);
    };
    if (grouped) {
      // Before the spawn: a signal arriving while the helper starts would otherwise kill swrole by default and
      // leave the helper's group running in its own session (the helper may already be running when spawn returns).
      // eslint-disable-next-line no-restricted-globals -- see the header: the helper is no longer in the terminal's process group
      for (const sig of RELAYED) process.on(sig, relay);
    }
    try {
      child = spawn(spec.file, [...spec.args], {
        env: { ...spec.env },
        stdio: ['inherit', 'pipe', spec.stderr],
        detached: grouped,
      });
    } catch (error) {
      unlisten();
      throw error;
    }

    const finish = () => {
      if (done || relaying) return;
      done = true;
      unlisten();
      for (const timer of timers) clearTimeout(timer);
      // Past the deadline nothing of the group may survive, even what closed its pipes and ignored SIGTERM.
      if (timedOut) signalGroup('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ code, signal, stdout, stderr, timedOut });
    };

    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < maxStdout) stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < maxStderr) stderr += chunk;
    });
    child.on('error', (error) => {
      if (done) return;
      done = true;
      unlisten();
      for (const timer of timers) clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (exitCode, exitSignal) => {
      exited = true;
      code = exitCode;
      signal = exitSignal;
      if (timedOut) return;
      // Normally the pipes close right after the exit; if something the helper left behind still holds
      // them, answer from what was printed and end the leftovers (they are in the helper's group).
      timers.push(
        setTimeout(() => {
          if (done) return;
          signalGroup('SIGTERM');
          finish();
          // The SIGKILL outlives the answer on purpose: swrole's own exit waits at most graceMs for it.
          setTimeout(() => signalGroup('SIGKILL'), graceMs);
        }, drainMs),
      );
    });
    child.on('close', finish);
    timers.push(
      setTimeout(() => {
        // A helper that exited in time is answered by the drain above, even if its leftovers hold the pipe.
        if (done || relaying || exited) return;
        timedOut = true;
        // SIGTERM first so a helper can clean up, SIGKILL for what is left after the grace.
        stopGroup(finish);
      }, spec.limits.timeoutMs),
    );
  });
}
