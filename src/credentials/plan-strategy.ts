import type { AwsConfig, Profile } from '../config/types.js';
import { stringValue } from '../config/types.js';
import type { AssumeRoleStep, Plan, SourceStep } from '../plan/types.js';

/** AWS caps chained role sessions (and roles assumed with GetSessionToken credentials) at 1 h (§2.6). */
export const CHAINED_MAX_SECONDS = 3600;
/** GetSessionToken default (§6.4): 12 h. */
export const DEFAULT_MFA_SESSION_SECONDS = 43_200;

/**
 * How MFA is satisfied for the first hop:
 * - `session`: GetSessionToken with MFA once per (source profile, serial), cached; roles assumed with it.
 * - `direct`: SerialNumber + TokenCode go into AssumeRole (temporary source, or a role session > 1 h asked for).
 * - `none`: the hop has no mfa_serial.
 */
export type MfaStrategy = 'session' | 'direct' | 'none';

export interface HopPlan {
  step: AssumeRoleStep;
  /** Duration the user/profile asked for (null = let STS choose), before any cap. */
  requestedSeconds: number | null;
  mfa: MfaStrategy;
  /**
   * `direct` because the caller asked for a session longer than 1 h, which an MFA session cannot give (AWS counts
   * it as chaining): then `swrole login` cannot help, and the message must say so (issue 13).
   */
  longSession?: true;
}

/** The static keys of a `static` source, from the file botocore reads them from (§2.3). */
export function staticKeys(config: AwsConfig, step: SourceStep): { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } {
  const profile: Profile | undefined = config.profiles.get(step.profile);
  if (!profile) return {};
  const section = step.kind === 'static' ? (step.file === 'credentials' ? profile.credentials : profile.config) : undefined;
  const values = section?.values ?? profile.values;
  const accessKeyId = stringValue(values, 'aws_access_key_id');
  const secretAccessKey = stringValue(values, 'aws_secret_access_key');
  const sessionToken = stringValue(values, 'aws_session_token') ?? stringValue(values, 'aws_security_token');
  return {
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(secretAccessKey ? { secretAccessKey } : {}),
    ...(sessionToken ? { sessionToken } : {}),
  };
}

/** True when the source is long-term IAM user keys: the only identity GetSessionToken accepts (§6.4). */
export function isLongTermSource(config: AwsConfig, source: SourceStep): boolean {
  // A keyring holds IAM user keys only (`swrole keys add` refuses temporary ones).
  if (source.kind === 'keyring') return true;
  if (source.kind !== 'static') return false;
  const keys = staticKeys(config, source);
  return keys.sessionToken === undefined && !(keys.accessKeyId ?? '').startsWith('ASIA');
}

/** Decides, per hop, the requested duration and how MFA is given. Pure. */
export function planHops(config: AwsConfig, plan: Plan, durationFlag: number | undefined): HopPlan[] {
  const [source, ...hops] = plan.steps;
  const longTerm = isLongTermSource(config, source);
  return hops.map((step, index) => {
    const last = index === hops.length - 1;
    const requestedSeconds = (last ? durationFlag : undefined) ?? step.durationSeconds ?? null;
    let mfa: MfaStrategy = 'none';
    if (step.mfaSerial !== null) {
      // A longer role session than 1 h cannot come from an MFA session (AWS treats it as chaining):
      // the user asked for it, so prompt for this role directly (DESIGN.md Sessions and the cache).
      const wantsLong = requestedSeconds !== null && requestedSeconds > CHAINED_MAX_SECONDS && hops.length === 1;
      mfa = index === 0 && longTerm && !wantsLong ? 'session' : 'direct';
      if (index === 0 && longTerm && wantsLong) return { step, requestedSeconds, mfa, longSession: true };
    }
    return { step, requestedSeconds, mfa };
  });
}

/** `swrole_mfa_session_duration` from the hop's or the source's profile (seconds), else 12 h. */
export function mfaSessionSeconds(config: AwsConfig, plan: Plan, flag: number | undefined): number {
  if (flag !== undefined) return flag;
  for (const name of [plan.steps[1]?.profile, plan.steps[0].profile, plan.profile]) {
    const raw = name ? stringValue(config.profiles.get(name)?.values ?? {}, 'swrole_mfa_session_duration') : undefined;
    const parsed = raw ? Number(raw.trim()) : NaN;
    if (Number.isInteger(parsed) && parsed > 0) return parsed;
  }
  return DEFAULT_MFA_SESSION_SECONDS;
}

/** A role session name when the profile sets none (botocore uses botocore-session-<epoch seconds>). */
export function defaultSessionName(nowMs: number): string {
  return `swrole-${Math.floor(nowMs / 1000)}`;
}
