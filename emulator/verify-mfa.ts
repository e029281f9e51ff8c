// MFA in a call (SerialNumber + TokenCode): the device must belong to the calling IAM user and the
// code must be the device's current TOTP (±1 step) and not used before.
import { matchTotpStep } from './totp.js';
import { MSG, accessDenied } from './sts-error.js';
import type { Caller, MfaContext } from './identity.js';
import type { EmulatorState } from './state.js';

export function findDevice(state: EmulatorState, serial: string): { account: string; userName: string; totpSecret: string } | null {
  for (const [account, acct] of Object.entries(state.world.accounts)) {
    for (const [userName, user] of Object.entries(acct.users ?? {})) {
      const device = user.mfa?.find((d) => d.serial === serial);
      if (device) return { account, userName, totpSecret: device.totpSecret };
    }
  }
  return null;
}

/** Null when neither is given; throws AccessDenied with the §6.5 messages otherwise unless valid. */
export function verifyMfa(state: EmulatorState, caller: Caller, serial: string | undefined, code: string | undefined): MfaContext | null {
  if (serial === undefined && code === undefined) return null;
  if (serial === undefined || code === undefined) throw accessDenied(MSG.mfaBoth);
  const device = findDevice(state, serial);
  if (!device || device.account !== caller.account || device.userName !== caller.userName) throw accessDenied(MSG.mfaUnknownDevice);
  const now = state.now();
  const step = matchTotpStep(device.totpSecret, code, now);
  const used = state.usedMfaSteps.get(serial) ?? new Set<number>();
  if (step === null || used.has(step)) throw accessDenied(MSG.mfaInvalidCode);
  used.add(step);
  state.usedMfaSteps.set(serial, used);
  return { authTimeMs: now, serial };
}
