/**
 * Waits for a condition instead of sleeping for a guessed time: polls `condition` every `intervalMs` until it
 * holds, and fails with `what` once `timeoutMs` has passed (a bound on a hang, not a budget on speed).
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
