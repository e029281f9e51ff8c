import type { StoredSession } from '../cache/types.js';
import { storedSession } from '../cache/session-file.js';
import { translateStsError } from '../sts/translate-sts-error.js';
import { withRetry } from '../sts/with-retry.js';
import type { EngineContext } from './engine-options.js';
import { mfaSessionSeconds, type HopPlan } from './plan-strategy.js';
import { mfaSessionKey } from './plan-cache-keys.js';
import { resolveMfaCode } from './mfa-code.js';
import { resolveSourceCredentials } from './source-credentials.js';
import { maskKeyId } from './mask-secret.js';
import { obtainOptions } from './obtain-credentials.js';

/** An MFA device as a profile names it: `mfa_serial` and, optionally, `mfa_process` for its codes. */
export interface MfaDevice {
  serial: string;
  mfaProcess: string | null;
  /** The role session asked for (seconds) when it is longer than an MFA session's role may be: MFA on AssumeRole itself. */
  longSessionSeconds?: number | undefined;
}

export const mfaDeviceOf = (hop: HopPlan): MfaDevice => ({
  serial: hop.step.mfaSerial ?? '',
  mfaProcess: hop.step.mfaProcess,
  ...(hop.longSession ? { longSessionSeconds: hop.requestedSeconds ?? undefined } : {}),
});

/**
 * The MFA code for `device`, from --mfa-code, mfa_process or the terminal (in that order). Asked under the cache
 * locks: while a person is being waited for, the lock records say so, which bounds how long others wait.
 */
export function askMfaCode(ctx: EngineContext, device: MfaDevice): Promise<string> {
  return resolveMfaCode({
    profile: ctx.plan.profile,
    serial: device.serial,
    flag: ctx.request.mfaCode,
    mfaProcess: device.mfaProcess,
    allowPrompt: ctx.request.allowPrompt,
    longSessionSeconds: device.longSessionSeconds,
    deps: ctx.deps,
    waiting: (what) => ctx.store.setLockActivity(what === undefined ? undefined : { doing: what, person: true }),
  });
}

/**
 * The MFA session (GetSessionToken with MFA) of the plan's source identity: cached, one prompt per session. Roles
 * are assumed with it; a profile of long-term keys with `mfa_serial` and no role hands it out itself.
 * `fresh` (`login --force`) asks for a new one, but the valid one stays cached, and served, until the new one
 * is stored: a typo, a wrong code or an STS outage logs nobody out (issues 13, 15).
 */
export async function obtainMfaSession(
  ctx: EngineContext,
  device: MfaDevice,
  fresh = false,
): Promise<{ session: StoredSession; hit: boolean }> {
  const serial = device.serial;
  const source = ctx.plan.steps[0];
  const key = mfaSessionKey(ctx.config, source, serial, ctx.endpoint);
  const fetch = async (): Promise<StoredSession> => {
    // Ask for the code before loading the SDK: a caller that cannot be prompted fails in milliseconds.
    const tokenCode = await askMfaCode(ctx, device);
    const caller = await resolveSourceCredentials(ctx, source);
    const durationSeconds = mfaSessionSeconds(ctx.config, ctx.plan, ctx.request.mfaSessionSeconds);
    const gateway = await ctx.gateway();
    ctx.debug(
      `sts: GetSessionToken serial=${serial} duration=${durationSeconds}s caller=${maskKeyId(caller.accessKeyId)} endpoint=${ctx.endpoint.url}`,
    );
    try {
      const credentials = await withRetry((signal) =>
        gateway.getSessionToken(caller, { serialNumber: serial, tokenCode, durationSeconds }, { signal }),
      );
      return storedSession('mfaSession', source.profile, credentials, {
        mfaSerial: serial,
        obtainedAt: new Date(ctx.deps.now()).toISOString(),
      });
    } catch (error) {
      throw translateStsError(error, {
        operation: 'GetSessionToken',
        profile: ctx.plan.profile,
        mfaSerial: serial,
        endpoint: ctx.endpoint.url,
        transport: ctx.transport,
      });
    }
  };
  // obtain() answers a valid cached session itself (hit: true) before it takes the lock.
  return ctx.store.obtain(key, fetch, obtainOptions(ctx, fresh));
}
