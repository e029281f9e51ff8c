import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';

/** What a finished child did: exit code or signal, its output, and how long it ran (reported, never a budget). */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface SpawnOptions {
  /** SIGKILL after this long, so a hang fails the test instead of stalling it (default 30 s). */
  timeoutMs?: number;
  /** Written to stdin, which is then closed (default: nothing). */
  input?: string;
  /** A lower priority than this process (which may host the emulator, standing in for a remote service). */
  niceness?: number;
  /** The child's working directory (default: this process's). */
  cwd?: string;
}

/**
 * The one spawner of the tests' child processes: runs a program the way agents and hooks do — its own session
 * (detached: no controlling terminal, no /dev/tty), pipes only, optional stdin — and collects what it did.
 */
export function spawnDetached(command: string, args: string[], env: Record<string, string>, options: SpawnOptions = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    if (options.niceness !== undefined && child.pid !== undefined) setPriority(child.pid, options.niceness);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
    // A child may exit without reading stdin (most commands never do): EPIPE on this pipe is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** spawnDetached with positional stdin and timeout. */
export function runDetached(command: string, args: string[], env: Record<string, string>, input = '', timeoutMs = 30_000): Promise<Run> {
  return spawnDetached(command, args, env, { input, timeoutMs });
}
