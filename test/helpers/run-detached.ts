import { spawn } from 'node:child_process';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program the way agents and hooks do: its own session (detached: no controlling terminal), pipes
 * only, optional stdin; killed after timeoutMs so a hang fails the test instead of stalling it.
 */
export function runDetached(command: string, args: string[], env: Record<string, string>, input = '', timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
    // A child may exit without reading stdin (most commands never do): EPIPE on this pipe is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
