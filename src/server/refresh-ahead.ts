import type { Credentials } from '../domain/credentials.js';

/** Credentials as the upstream handed them out. */
export interface Issued {
  credentials: Credentials;
  /** When they were issued (epoch ms), to size the refresh lead; unknown: counted from when we got them. */
  issuedAtMs?: number | undefined;
}

/** What the server holds and serves. */
export interface Held {
  credentials: Credentials;
  expiresAtMs: number;
  /** From this moment on, the next request (or the timer) starts a refresh in the background. */
  refreshAtMs: number;
}

/** Why the server cannot answer with credentials: HTTP status, ECS-style code, a message for the client's error. */
export interface Failure {
  status: number;
  code: string;
  message: string;
  /** The upstream waits for a person (an MFA code): retrying soon is cheap and picks up a `swrole login`. */
  needsHuman: boolean;
}

export type Answer = { ok: true; held: Held } | ({ ok: false } & Failure);

/** Never serve credentials that expire within this (DESIGN.md: never hand out credentials expiring within 60 s). */
export const MIN_SERVE_MS = 60_000;
/** Credentials without an expiry are served as if they expired this long after they were fetched. */
export const NO_EXPIRY_MS = 3_600_000;
const LONG_LEAD_MS = 20 * 60_000;
/** The least time between two successful refreshes. */
const MIN_GAP_MS = 5_000;

/**
 * PURE: how long before expiry to refresh (docs/reference/sso-keyring-console.md C.2): at 20 min left, so botocore
 * (which re-fetches on every call below 15 min, and must below 10 min) and the SDK for JS (below 5 min) never see
 * credentials that short; sessions shorter than 40 min are refreshed at half their lifetime (a 900 s role after 450 s).
 */
export function refreshLeadMs(lifetimeMs: number): number {
  return lifetimeMs >= 2 * LONG_LEAD_MS ? LONG_LEAD_MS : Math.max(0, lifetimeMs / 2);
}

/** PURE: the held form of issued credentials, at `nowMs`. */
export function toHeld(issued: Issued, nowMs: number): Held {
  const expiration = issued.credentials.expiration === undefined ? Number.NaN : Date.parse(issued.credentials.expiration);
  const expiresAtMs = Number.isNaN(expiration) ? nowMs + NO_EXPIRY_MS : expiration;
  const issuedAtMs = Math.min(issued.issuedAtMs ?? nowMs, nowMs);
  return { credentials: issued.credentials, expiresAtMs, refreshAtMs: expiresAtMs - refreshLeadMs(expiresAtMs - issuedAtMs) };
}

export interface RefreshAheadOptions {
  /** The upstream's clock (Deps.now). */
  now: () => number;
  /** Credentials newer than `replacing` (undefined: any valid ones). Rejects when the upstream cannot give any. */
  obtain: (replacing: Held | undefined) => Promise<Issued>;
  /** An upstream error as the client should see it. */
  describe: (error: unknown) => Failure;
  /** Told after each refresh attempt (for --debug and a once-only warning); never given secrets to print. */
  onRefresh?: (outcome: { held: Held; replaced: Held | undefined } | { failure: Failure; serving: Held | undefined }) => void;
  /** How long a request waits for an in-flight refresh when nothing valid is held (clients time out at 1–2 s). */
  waitMs?: number;
}

export interface RefreshAhead {
  /** Answers a request: what is held while it is valid (a due refresh runs in the background), else a failure. */
  answer(): Promise<Answer>;
  /** Stops the timer; later refreshes are not started. */
  close(): void;
}

/** Retry after a failure: soon when a person is awaited (`swrole login` costs no STS call), else backing off. */
function retryDelayMs(failure: Failure, failures: number): number {
  return failure.needsHuman ? 5_000 : Math.min(10_000 * 2 ** (failures - 1), 5 * 60_000);
}

/**
 * Serves credentials from memory and refreshes them ahead of expiry, one refresh at a time (single flight: N
 * concurrent requests during a refresh wait on, or are answered beside, the same one). A refresh is started by the
 * first request after the refresh point, and by a timer at that point so credentials are fresh before anyone asks;
 * the request check also covers a timer that fired late (a laptop asleep) or a clock that jumped (tests).
 */
export function createRefreshAhead(initial: Issued, options: RefreshAheadOptions): RefreshAhead {
  const { now } = options;
  const waitMs = options.waitMs ?? 500;
  let held: Held | undefined = toHeld(initial, now());
  let inflight: Promise<void> | undefined;
  let failure: { failure: Failure; atMs: number; count: number } | undefined;
  let refreshedAtMs = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const valid = (h: Held | undefined, t: number): h is Held => h !== undefined && h.expiresAtMs - t > MIN_SERVE_MS;
  const nextAttemptMs = (): number => {
    // Never twice within MIN_GAP_MS: an upstream whose credentials are already inside their refresh lead (a short
    // credential_process, a clock that jumped) must not turn the timer into a loop.
    const due = Math.max(held !== undefined && valid(held, now()) ? held.refreshAtMs : now(), refreshedAtMs + MIN_GAP_MS);
    return failure === undefined ? due : Math.max(due, failure.atMs + retryDelayMs(failure.failure, failure.count));
  };

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    if (closed) return;
    // Re-checked at least every 5 min: a timer does not count time a machine spent asleep.
    const delay = Math.min(Math.max(nextAttemptMs() - now(), 0), 5 * 60_000);
    timer = setTimeout(() => {
      timer = undefined;
      if (now() >= nextAttemptMs()) refresh();
      else schedule();
    }, delay);
    timer.unref?.();
  }

  function refresh(): Promise<void> {
    if (closed) return Promise.resolve();
    inflight ??= (async () => {
      // Let the request that noticed the refresh point be answered first.
      await new Promise((resolve) => setImmediate(resolve));
      const replaced = held;
      try {
        const next = toHeld(await options.obtain(replaced), now());
        held = next;
        failure = undefined;
        refreshedAtMs = now();
        options.onRefresh?.({ held: next, replaced });
      } catch (error) {
        const described = options.describe(error);
        failure = { failure: described, atMs: now(), count: (failure?.count ?? 0) + 1 };
        options.onRefresh?.({ failure: described, serving: valid(held, now()) ? held : undefined });
      } finally {
        inflight = undefined;
        schedule();
      }
    })();
    return inflight;
  }

  schedule();
  return {
    async answer() {
      const t = now();
      if (inflight === undefined && t >= nextAttemptMs()) void refresh();
      if (valid(held, t)) return { ok: true, held };
      // Nothing to serve: give an in-flight refresh a moment, within the clients' timeouts.
      if (inflight !== undefined) {
        let timeout: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([inflight, new Promise<void>((resolve) => (timeout = setTimeout(resolve, waitMs)))]);
        clearTimeout(timeout);
      }
      if (valid(held, now())) return { ok: true, held };
      if (failure !== undefined) return { ok: false, ...failure.failure };
      return {
        ok: false,
        status: 503,
        code: 'CredentialsUnavailable',
        message: 'swrole: refreshing the credentials; retry',
        needsHuman: false,
      };
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
