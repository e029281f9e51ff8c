// One run of the built swrole that may be killed with SIGKILL after a chosen delay, as `kill -9` does: the
// process alone (children it started, such as git, run on), no chance to clean up.
import { spawn } from 'node:child_process';
import { DIST } from '../helpers/swrole-run.js';

export interface KillRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The SIGKILL reached a live process (it died of it); false when it had exited first or none was planned. */
  killed: boolean;
  /** The planned delay (undefined: not to be killed). */
  killAfterMs: number | undefined;
  ms: number;
  stdout: string;
  stderr: string;
}

/** Spawns `node dist/swrole.js ARGS` in a session of its own (no terminal: nothing can prompt), optionally killed. */
export function runSwroleKilled(args: string[], env: Record<string, string>, killAfterMs?: number, timeoutMs = 60_000): Promise<KillRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let sent = false;
    let exited = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const kill = () => {
      if (exited) return;
      sent = true;
      child.kill('SIGKILL');
    };
    const killTimer = killAfterMs === undefined ? undefined : setTimeout(kill, killAfterMs);
    const hangTimer = setTimeout(kill, timeoutMs);
    child.on('exit', () => (exited = true));
    child.on('error', (error) => {
      clearTimeout(killTimer);
      clearTimeout(hangTimer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      clearTimeout(hangTimer);
      const ms = performance.now() - started;
      if (sent && signal === 'SIGKILL' && killAfterMs === undefined) {
        reject(new Error(`swrole ${args.join(' ')} hung for ${timeoutMs} ms and was killed: ${stderr}`));
        return;
      }
      resolve({ args, code, signal, killed: sent && signal === 'SIGKILL', killAfterMs, ms, stdout, stderr });
    });
  });
}
