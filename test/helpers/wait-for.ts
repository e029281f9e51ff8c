import { readFileSync } from 'node:fs';

/**
 * Waits for a condition instead of sleeping for a guessed time: polls `condition` every `intervalMs` until it
 * holds, and fails with `what` once `timeoutMs` has passed (a bound on a hang, not a budget on speed). `what` may be
 * a function, to say the state at the time of the failure.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A process is alive: signalable and not a zombie waiting for its reaper (Linux /proc). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
