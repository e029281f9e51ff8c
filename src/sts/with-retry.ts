/**
 * swrole's own bounded retry around each STS call: the SDK runs with maxAttempts 1 so the emulator's
 * call counts are ours, and a flaky network never turns into an unbounded wait.
 */
export interface RetryPolicy {
  /** Total attempts including the first (default 3). */
  attempts?: number;
  /** Give up once this much time has been spent (default 10 s). */
  budgetMs?: number;
  /** First backoff (default 200 ms), doubled each time, with jitter. */
  baseDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'IDPCommunicationError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

/** Whether an SDK/network error is worth another attempt: 5xx, throttling, resets, timeouts. */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  for (const value of [e.name, e.code, e.Code]) {
    if (typeof value === 'string' && (TRANSIENT_CODES.has(value) || TRANSIENT_NETWORK.has(value))) return true;
  }
  return false;
}

export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 3;
  const budgetMs = policy.budgetMs ?? 10_000;
  const base = policy.baseDelayMs ?? 200;
  const now = policy.now ?? (() => performance.now());
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isTransientError(error)) throw error;
      const delay = Math.round(base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      if (now() - started + delay > budgetMs) throw error;
      await sleep(delay);
    }
  }
}
