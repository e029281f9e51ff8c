// Test controls under /__emulator/: unsigned, loopback only, refused when a request carries AWS auth
// so STS credentials can never drive them. JSON in, JSON out.
import { parseFault, type Fault } from './faults.js';
import { findDevice } from './verify-mfa.js';
import { totp } from './totp.js';
import type { CallRecord } from './call-record.js';
import type { EmulatorState } from './state.js';
import { handleSsoControl, type SsoControls } from './sso-controls.js';

export interface Controls {
  state: EmulatorState;
  calls(): CallRecord[];
  counts(): Record<string, number>;
  advance(seconds: number): void;
  inject(fault: Fault): void;
  reset(): void;
  sso: SsoControls;
}

export interface ControlResponse {
  status: number;
  body: unknown;
}

export function handleControl(c: Controls, method: string, path: string, query: URLSearchParams, body: string): ControlResponse {
  const json = (): unknown => (body.trim() === '' ? {} : JSON.parse(body));
  try {
    switch (`${method} ${path}`) {
      case 'GET /__emulator/calls':
        return { status: 200, body: c.calls() };
      case 'GET /__emulator/counts':
        return { status: 200, body: c.counts() };
      case 'GET /__emulator/clock':
        return { status: 200, body: { now: c.state.now() } };
      case 'POST /__emulator/clock': {
        const seconds = (json() as { advanceSeconds?: unknown }).advanceSeconds;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
          return { status: 400, body: { error: 'advanceSeconds must be a number ≥ 0' } };
        c.advance(seconds);
        return { status: 200, body: { now: c.state.now() } };
      }
      case 'POST /__emulator/faults': {
        c.inject(parseFault(json()));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__emulator/reset': {
        c.reset();
        return { status: 200, body: { ok: true } };
      }
      case 'GET /__emulator/totp': {
        const serial = query.get('serial') ?? '';
        const device = findDevice(c.state, serial);
        if (!device) return { status: 404, body: { error: `no MFA device ${serial} in the world` } };
        return { status: 200, body: { serial, code: totp(device.totpSecret, c.state.now()) } };
      }
      default:
        return handleSsoControl(c.sso, c.state, method, path, json) ?? { status: 404, body: { error: `no control ${method} ${path}` } };
    }
  } catch (error) {
    return { status: 400, body: { error: (error as Error).message } };
  }
}
