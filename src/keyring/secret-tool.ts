/**
 * Runs `secret-tool` (libsecret-tools) with a deadline: the one way swrole talks to the Secret Service, so that the
 * package keeps no runtime dependency (no native addon). Secrets travel on stdin (`store`) and stdout (`lookup`,
 * `search`), never in argv. A child that does not answer in time is killed and reported as such: a stuck daemon
 * or a prompt nobody can see never makes swrole hang.
 */
import { spawn } from 'node:child_process';

export interface SecretToolOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface SecretToolRun {
  /** The executable (`secret-tool`, or SWROLE_SECRET_TOOL for tests and unusual installs). */
  file: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdin?: string;
  timeoutMs: number;
}

/** Resolves with what the tool said; rejects only when it cannot be started (ENOENT: not installed). */
export function runSecretTool(run: SecretToolRun): Promise<SecretToolOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.file, [...run.args], { env: { ...run.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 1 << 20) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 1 << 16) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    // A tool that exits before reading stdin must not crash swrole with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.stdin ?? '');
  });
}
