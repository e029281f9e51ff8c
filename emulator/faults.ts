// Fault injection: the next N calls (optionally only those of one action) fail the way a real
// endpoint or network can — 500/503, Throttling, a delay, a malformed body, a dropped connection.
import { StsError } from './sts-error.js';
import { isObject } from './world.js';

export interface Fault {
  /** 429: IAM Identity Center's TooManyRequestsException (STS answers Throttling with 400). */
  status?: 429 | 500 | 503;
  code?: 'Throttling' | 'InternalFailure' | 'ServiceUnavailable';
  delayMs?: number;
  malformed?: boolean;
  drop?: boolean;
  action?: string;
  count?: number;
  /** Hold the matching call until `POST /__emulator/release`, then answer it normally (races made deterministic). */
  hold?: boolean;
}

/** Validate a fault posted over HTTP. */
export function parseFault(value: unknown): Fault {
  if (!isObject(value)) throw new Error('a fault is a JSON object');
  const f: Fault = {};
  if (value.status !== undefined) {
    if (value.status !== 429 && value.status !== 500 && value.status !== 503) throw new Error('status must be 429, 500 or 503');
    f.status = value.status;
  }
  if (value.code !== undefined) {
    if (value.code !== 'Throttling' && value.code !== 'InternalFailure' && value.code !== 'ServiceUnavailable')
      throw new Error('code must be Throttling, InternalFailure or ServiceUnavailable');
    f.code = value.code;
  }
  for (const k of ['delayMs', 'count'] as const) {
    const v = value[k];
    if (v !== undefined) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 600_000) throw new Error(`${k} must be an integer 0..600000`);
      f[k] = v;
    }
  }
  for (const k of ['malformed', 'drop', 'hold'] as const) if (value[k] !== undefined) f[k] = value[k] === true;
  if (value.action !== undefined) {
    if (typeof value.action !== 'string') throw new Error('action must be a string');
    f.action = value.action;
  }
  return f;
}

/** Take one use of the first pending fault that applies to `action`; exhausted faults are removed. */
export function takeFault(pending: Fault[], action: string): Fault | null {
  const index = pending.findIndex((f) => f.action === undefined || f.action === action);
  if (index < 0) return null;
  const fault = pending[index]!;
  const left = (fault.count ?? 1) - 1;
  if (left <= 0) pending.splice(index, 1);
  else pending[index] = { ...fault, count: left };
  return fault;
}

/** The STS error a fault answers with, or null (delay only, malformed, drop). */
export function faultError(f: Fault): StsError | null {
  const code = f.code ?? (f.status === 503 ? 'ServiceUnavailable' : f.status === 500 ? 'InternalFailure' : undefined);
  if (code === undefined) return null;
  if (code === 'Throttling') return new StsError('Throttling', f.status ?? 400, 'Rate exceeded', f.status ? 'Receiver' : 'Sender');
  if (code === 'ServiceUnavailable') return new StsError(code, f.status ?? 503, 'Service is unavailable. Please try again later.');
  return new StsError(code, f.status ?? 500, 'An internal error has occurred. Please try again later.');
}
