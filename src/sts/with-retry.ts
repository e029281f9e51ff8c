/**
 * swrole's own bounded retry around each STS call: the SDK runs with maxAttempts 1 so the emulator's
 * call counts are ours, and a flaky network never turns into an unbounded wait.
 *
 * Every attempt has a deadline and so has the whole series (issue 15): at a deadline the attempt's
 * AbortSignal fires (the SDK destroys the request and its socket) and swrole stops waiting at once, even if
 * the request ignored the signal. Two 5 s attempts inside a 10 s series leave room, within the 15 s the
 * issue allows, for node's start and the SDK's load; real STS answers in well under a second.
 */
import { StsTimeoutError, isStsTimeout } from './sts-timeout-error.js';

/** One attempt: connect, send, first byte and the whole answer. */
export const STS_ATTEMPT_TIMEOUT_MS = 5000;
/** The whole series of attempts and backoffs, a running attempt included. */
export const STS_SERIES_TIMEOUT_MS = 10_000;

export interface RetryPolicy {
  /** Total attempts including the first (default 3). */
  attempts?: number;
  /** Deadline of each attempt (default STS_ATTEMPT_TIMEOUT_MS). */
  attemptTimeoutMs?: number;
  /** Deadline of the whole series, the running attempt included (default STS_SERIES_TIMEOUT_MS). */
  budgetMs?: number;
  /** Do not start an attempt that would have less than this before the series deadline (default 1 s). */
  minAttemptMs?: number;
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
  'StsTimeoutError',
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

/** Runs one attempt with its own AbortSignal; rejects with `onTimeout()` at the deadline whatever the attempt does. */
function attemptWithDeadline<T>(operation: (signal: AbortSignal) => Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        const error = onTimeout();
        reject(error);
        controller.abort(error);
      },
      Math.max(0, ms),
    );
    Promise.resolve()
      .then(() => operation(controller.signal))
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
  });
}

export async function withRetry<T>(operation: (signal: AbortSignal) => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 3;
  const attemptMs = policy.attemptTimeoutMs ?? STS_ATTEMPT_TIMEOUT_MS;
  const budgetMs = policy.budgetMs ?? STS_SERIES_TIMEOUT_MS;
  const minAttemptMs = policy.minAttemptMs ?? 1000;
  const base = policy.baseDelayMs ?? 200;
  const now = policy.now ?? (() => performance.now());
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  // A timeout leaves the series as one error saying how long swrole waited in all.
  const giveUp = (error: unknown, attempt: number): unknown =>
    isStsTimeout(error) ? new StsTimeoutError(now() - started, attempt) : error;
  for (let attempt = 1; ; attempt++) {
    const left = budgetMs - (now() - started);
    try {
      return await attemptWithDeadline(operation, Math.min(attemptMs, left), () => new StsTimeoutError(now() - started, attempt));
    } catch (error) {
      if (attempt >= attempts || !isTransientError(error)) throw giveUp(error, attempt);
      const delay = Math.round(base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      if (now() - started + delay + minAttemptMs > budgetMs) throw giveUp(error, attempt);
      await sleep(delay);
    }
  }
}
