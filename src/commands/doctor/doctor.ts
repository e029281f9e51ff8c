import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { SwroleError, usageError } from '../../errors.js';
import { resolveProfileName } from '../../config/resolve-selection.js';
import { probeStsClock, resolveStsProbeTarget, type ClockProbe } from '../../credentials/probe-sts-clock.js';
import { COMMANDS } from '../../registry/command-registry.js';
import { fail, ok, renderDoctorReport, warn, type CheckResult } from './doctor-check.js';
import { checkConfigFiles } from './config-checks.js';
import { checkCaBundles, checkEnvironmentCredentials, checkProfileSelection, checkProxy } from './environment-checks.js';
import { checkAgentPaths, checkSetupPaths, checkStateDirs } from './install-checks.js';
import { checkAgentProject } from './agent-project-check.js';

/** Long enough for a slow proxy, short enough that an offline laptop is told at once. */
const CLOCK_TIMEOUT_MS = 3000;
/**
 * AWS refuses a request signed more than 15 minutes off (SignatureDoesNotMatch "Signature expired", E_CLOCK_SKEW);
 * from 5 minutes on, swrole's refresh window (5 min) no longer covers the error, so a cached session AWS already
 * counts as expired can be handed out (ExpiredToken). A minute off already moves every expiry shown.
 */
const CLOCK_REFUSED_MS = 15 * 60_000;
const CLOCK_FAIL_MS = 5 * 60_000;
const CLOCK_WARN_MS = 60_000;

export const help = `Usage: swrole doctor [PROFILE] [--json]

Checks what commonly breaks a setup and says how to fix each thing, one line per finding: ok, warn or fail.
Changes nothing, never prompts, never prints a secret, and makes one unsigned request (to STS, for its clock).

  config-files       the AWS config and credentials files read as the AWS CLI reads them
  config             every construct \`swrole list\` warns about (what the AWS SDK for JS reads differently
                     or ignores: unquoted names with spaces, [default] and [profile default], ":" separators...)
  role-arn           role ARNs with a malformed account (not 12 digits: hyphens, a lost digit)
  profile            profiles that cannot be used; PROFILE (or the selected one) resolves
  quoted-value       values copied with their quotes (aws_access_key_id = "AKIA..."): AWS keeps the quotes
  full-width         full-width characters from a Japanese IME (＝, ｒｅｇｉｏｎ, full-width spaces)
  profile-selection  AWS_PROFILE vs AWS_DEFAULT_PROFILE: the same profile for the CLI, boto3 and the SDK for JS?
  env-credentials    key variables in the environment that shadow profiles
  clock              this clock against the Date of STS (fail from 5 minutes off, AWS refuses 15); the
                     endpoint, proxy and CA bundle are the ones swrole uses (AWS_ENDPOINT_URL_STS, HTTPS_PROXY,
                     NO_PROXY, AWS_CA_BUNDLE); offline it warns after ${CLOCK_TIMEOUT_MS / 1000} s
  proxy, ca-bundle   HTTPS_PROXY / NO_PROXY, AWS_CA_BUNDLE, ca_bundle, NODE_EXTRA_CA_CERTS (does the file exist?)
  state-dir          swrole's cache and state directories: yours, 0700, nobody else can write there
  setup-paths        the node and swrole paths \`swrole setup\` wrote into credential_process: do they exist?
  agent-paths        the same for every \`swrole agent claude\` grant
  agent-project      the grant of this project: mode, git root, settings, hook paths, shadowing variables

Exit status: 0 when nothing fails (warnings allowed), 3 (E_DOCTOR_FAILED) when a check fails; the report is
on stdout either way.

Options:
  --json         an array of {"check", "status" ("ok" | "warn" | "fail"), "message", "fix" (null for ok)}
  -h, --help     show this help

Examples:
  swrole doctor
  swrole doctor prod
  swrole doctor --json | jq -r '.[] | select(.status != "ok") | "\\(.check): \\(.fix)"'
`;

const CLOCK_FIX =
  'turn on automatic time (Linux: `sudo timedatectl set-ntp true`; WSL: `sudo hwclock -s`; macOS: System Settings > General > Date & Time)';

function clockResult(probe: ClockProbe): CheckResult {
  if (probe.kind === 'failed') {
    return warn(
      'clock',
      `not checked: ${probe.url} did not answer (${probe.reason})`,
      'check the network and HTTPS_PROXY / NO_PROXY, then run doctor again',
    );
  }
  const seconds = Math.round(Math.abs(probe.skewMs) / 1000);
  const how = `${seconds} s ${probe.skewMs > 0 ? 'behind' : 'ahead of'} STS (${probe.url})`;
  if (Math.abs(probe.skewMs) >= CLOCK_REFUSED_MS) {
    return fail('clock', `this clock is ${how}: AWS refuses requests signed more than 15 minutes off (E_CLOCK_SKEW)`, CLOCK_FIX);
  }
  if (Math.abs(probe.skewMs) >= CLOCK_FAIL_MS) {
    return fail(
      'clock',
      `this clock is ${how}: more than swrole's 5-minute refresh window, so cached sessions can be used after AWS counts them expired`,
      CLOCK_FIX,
    );
  }
  if (Math.abs(probe.skewMs) >= CLOCK_WARN_MS) {
    return warn('clock', `this clock is ${how}: cached sessions are refreshed at the wrong time`, CLOCK_FIX);
  }
  return ok('clock', `this clock is within ${Math.max(1, seconds)} s of STS (${probe.url})`);
}

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('doctor', args, COMMANDS.doctor.options);
  if (positionals.length > 1) throw usageError('doctor', `unexpected argument "${positionals[1]}"`);
  const profileArg = positionals[0];
  const { results, config } = checkConfigFiles(deps);
  results.push(...checkProfileSelection(deps, config, profileArg));
  results.push(checkEnvironmentCredentials(deps));
  const target = resolveStsProbeTarget(deps, config, profileArg ?? resolveProfileName(deps.env));
  results.push(clockResult(await probeStsClock(target, deps.now, CLOCK_TIMEOUT_MS)));
  results.push(checkProxy(target), ...checkCaBundles(deps, target));
  const stateDirs = checkStateDirs(deps);
  results.push(...stateDirs, ...checkSetupPaths(config));
  if (stateDirs.every((r) => r.status === 'ok')) {
    // Reading the views goes through the trust rule, which tightens a loose dir: only once state-dir is clean.
    results.push(...checkAgentPaths(deps), ...checkAgentProject(deps));
  } else {
    const notChecked = 'not checked until the state-dir findings are fixed (the grants live there)';
    results.push(
      warn('agent-paths', notChecked, 'fix the state-dir lines first'),
      warn('agent-project', notChecked, 'fix the state-dir lines first'),
    );
  }

  deps.stdout.write(values.json === true ? `${JSON.stringify(results, null, 2)}\n` : renderDoctorReport(results));
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  if (failed > 0) {
    throw new SwroleError('E_DOCTOR_FAILED', `doctor: ${failed} check(s) failed${warned > 0 ? `, ${warned} warning(s)` : ''}`, {
      hint: 'each "fail" line of the report says its fix',
    });
  }
  if (values.json !== true) deps.stderr.write(`swrole: doctor: ${results.length} check(s), ${warned} warning(s), nothing failed\n`);
  return 0;
}
