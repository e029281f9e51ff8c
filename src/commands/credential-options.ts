import { SwroleError, usageError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
import type { Reporters } from '../credentials/get-credentials.js';
import { SCOPE_OPTIONS_HELP } from './scope-options.js';
import { createOncePrinter, createWarner } from '../platform/warnings.js';

/** The help lines of CREDENTIAL_OPTIONS (src/registry/option-specs.ts). */
export const CREDENTIAL_OPTIONS_HELP = `Credential options:
  --profile NAME        the profile (same as the PROFILE argument; else AWS_PROFILE, else default)
  --region REGION       region for STS and for the credentials handed out
  --duration D          role session length: seconds, or 1h, 30m, 1h30m
  --mfa-code CODE       the 6-digit MFA code (else mfa_process, else a prompt on the terminal)
  --no-cache            neither read nor write swrole's session cache
  --no-session          a profile of long-term keys hands out the keys themselves, not a session of
                        them (only for APIs that refuse session credentials; warns; never with a scope)
  --source-config FILE  read this AWS config file instead of AWS_CONFIG_FILE / ~/.aws/config
  --source-credentials FILE
                        read this credentials file instead of AWS_SHARED_CREDENTIALS_FILE (agent views
                        point that variable at an empty file)
  --debug               explain each step on stderr (secrets are never shown)
${SCOPE_OPTIONS_HELP}`;

export interface CredentialFlags {
  profile: string | undefined;
  region: string | undefined;
  durationSeconds: number | undefined;
  mfaCode: string | undefined;
  noCache: boolean;
  noSession: boolean;
  sourceConfig: string | undefined;
  sourceCredentials: string | undefined;
  debug: boolean;
}

/** `3600`, `1h`, `30m`, `1h30m`, `90s` → seconds. */
export function parseDuration(command: string, text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed);
  if (!match || trimmed === '') throw usageError(command, `--duration ${JSON.stringify(text)}: use seconds or 1h, 30m, 1h30m`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/**
 * What STS accepts (API reference, DurationSeconds): AssumeRole 900–43200 (the role's MaxSessionDuration may be
 * lower; 3600 for a role assumed with temporary credentials, which swrole caps by itself), GetSessionToken and
 * GetFederationToken 900–129600. Checked here, so a typo fails in milliseconds with the limits, not at STS.
 */
export const ROLE_SESSION_RANGE = [900, 43_200] as const;
export const USER_SESSION_RANGE = [900, 129_600] as const;

const human = (seconds: number): string =>
  seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;

function durationError(command: string, seconds: number, limits: string): SwroleError {
  return new SwroleError('E_USAGE', `${command}: --duration ${human(seconds)} (${seconds} s) is out of range: ${limits}`, {
    hint: `pass a duration in that range (e.g. --duration 1h), or leave it out for the profile's own; \`swrole ${command} --help\``,
  });
}

/**
 * `--duration` checked against what any session of the command may last: `login`'s MFA session 15m–36h; the
 * others at least 15m and at most 36h here, and at most 12h once the plan shows a role (checkRoleDuration).
 * `console` checks its own ranges.
 */
function checkDurationFlag(command: string, seconds: number): void {
  if (command === 'console') return;
  const [min, max] = USER_SESSION_RANGE;
  if (seconds >= min && seconds <= max) return;
  throw durationError(
    command,
    seconds,
    command === 'login'
      ? 'an MFA session (GetSessionToken) lasts 15m to 36h'
      : "a role session lasts 15m to 12h (at most 1h for a role assumed with temporary credentials); a session of an IAM user's own keys 15m to 36h",
  );
}

/** A role session (the plan ends in AssumeRole) lasts at most 12 h: refused before any STS call. */
export function checkRoleDuration(command: string, hasRole: boolean, seconds: number | undefined): void {
  if (!hasRole || seconds === undefined || seconds <= ROLE_SESSION_RANGE[1]) return;
  throw durationError(command, seconds, "a role session lasts 15m to 12h (and no longer than the role's MaxSessionDuration)");
}

interface FlagValues {
  profile?: string | boolean | undefined;
  region?: string | boolean | undefined;
  duration?: string | boolean | undefined;
  'mfa-code'?: string | boolean | undefined;
  'no-cache'?: string | boolean | undefined;
  'no-session'?: string | boolean | undefined;
  'source-config'?: string | boolean | undefined;
  'source-credentials'?: string | boolean | undefined;
  debug?: string | boolean | undefined;
}

const str = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);

/** PROFILE may come as a positional or as --profile, not both differently. */
export function resolveProfileArg(command: string, positional: string | undefined, flag: string | undefined): string | undefined {
  if (flag !== undefined && positional !== undefined && flag !== positional) {
    throw usageError(command, `two profiles given ("${positional}" and --profile "${flag}")`);
  }
  return positional ?? flag;
}

/** Reads the shared flags (PROFILE through resolveProfileArg). */
export function readCredentialFlags(command: string, values: FlagValues, positionalProfile: string | undefined): CredentialFlags {
  const profile = resolveProfileArg(command, positionalProfile, str(values.profile));
  const duration = str(values.duration);
  const durationSeconds = duration === undefined ? undefined : parseDuration(command, duration);
  if (durationSeconds !== undefined) checkDurationFlag(command, durationSeconds);
  return {
    profile,
    region: str(values.region),
    durationSeconds,
    mfaCode: str(values['mfa-code']),
    noCache: values['no-cache'] === true,
    noSession: values['no-session'] === true,
    sourceConfig: str(values['source-config']),
    sourceCredentials: str(values['source-credentials']),
    debug: values.debug === true,
  };
}

/** Notices once each on stderr; --debug lines only with --debug. Callers never pass secrets. */
export function createReporters(deps: Deps, debug: boolean): Reporters & { warn: (message: string) => void } {
  return {
    notice: createOncePrinter(deps.stderr),
    warn: createWarner(deps.stderr),
    debug: debug ? (message: string) => deps.stderr.write(`swrole: debug: ${message}\n`) : () => {},
  };
}

/** Time left until an ISO expiry, for people: `59m`, `11h 58m`. */
export { formatRemaining } from '../output/format-expiry.js';
