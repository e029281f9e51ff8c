/**
 * swrole's own deadline on an STS call passed (with-retry.ts): the endpoint, or a proxy in between, took the
 * connection and did not answer in time. The SDK's requestTimeout alone only warned (issue 15), and an
 * idle timer never fires for a peer that trickles a byte every few seconds, so the bound is ours.
 * Recognised by name, not instanceof: dist/ bundles each lazy chunk with its own copy of this class.
 */
export class StsTimeoutError extends Error {
  override readonly name = 'StsTimeoutError';
  /** How long swrole waited in all, and over how many attempts. */
  readonly waitedMs: number;
  readonly attempts: number;

  constructor(waitedMs: number, attempts: number) {
    super(`no answer from STS within ${(waitedMs / 1000).toFixed(1)} s (${attempts} attempt${attempts === 1 ? '' : 's'})`);
    this.waitedMs = waitedMs;
    this.attempts = attempts;
  }
}

export function isStsTimeout(error: unknown): error is StsTimeoutError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'StsTimeoutError';
}
