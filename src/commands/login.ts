import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { formatExpiry } from '../output/format-expiry.js';
import { prepareRequest } from '../credentials/prepare-request.js';
import { createEngineContext } from '../credentials/create-engine-context.js';
import { planSessions } from '../credentials/get-credentials.js';
import { checkNoSession, readScopeFlags } from './scope-options.js';
import { checkMfaCodeFlag } from '../credentials/mfa-code.js';
import { COMMANDS } from '../registry/command-registry.js';
import { mfaSessionKey } from '../credentials/plan-cache-keys.js';
import { stillAccepted } from '../credentials/stale-session.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import type { AwsConfig } from '../config/types.js';
import type { SsoSource } from '../plan/types.js';
import type { Deps } from '../platform/deps.js';
import { resolveSwroleDirs } from '../platform/resolve-state-dir.js';
import { pickProfile } from './pick-profile.js';

export const help = `Usage: swrole login [PROFILE] [--duration D] [--force] [options]
       swrole login PROFILE [--device-code] [--force]     (an IAM Identity Center profile)
       swrole login --sso-session NAME [--device-code]

The MFA step, done once by a person: GetSessionToken with MFA for the profile's source identity (the IAM
user behind source_profile), cached for 12 h by default. Every role behind that identity is then
assumed with it, without further prompts, until it expires (roles are renewed silently every hour).
Then the profile's role is fetched, so \`swrole process\` and agents find it ready.

For a profile whose source is IAM Identity Center (sso_session or sso_start_url), login signs in to its
session instead: in the browser (authorization code + PKCE, a one-time callback on 127.0.0.1), or with
a device code (the URL and code on stderr) for legacy sso_start_url profiles, with --device-code,
sso_use_device_code = true, or where no browser can be opened (SSH, containers, no display). The token
goes to ~/.aws/sso/cache in the AWS CLI's format: the AWS CLI, SDKs and every swrole process share it,
and it is refreshed silently until the session ends. SWROLE_BROWSER or BROWSER chooses the browser.

Without PROFILE (and no AWS_PROFILE) on a terminal, a profile picker opens: type to filter, Enter to pick,
Esc or Ctrl-C to cancel. Elsewhere: the default profile.

Options:
  --duration D          MFA session length (900 s to 36 h; default 12 h or swrole_mfa_session_duration)
  --force               start a new MFA session (or IAM Identity Center sign-in) even if one is still
                        valid (the valid one stays in use until the new one is stored: a wrong code or
                        an STS error logs nobody out)
  --device-code         IAM Identity Center: sign in with a device code instead of the browser callback
  --sso-session NAME    sign in to the [sso-session NAME] itself (no profile, no role fetched)
${CREDENTIAL_OPTIONS_HELP.replace(/^  --duration .*\n/m, '')}
Examples:
  swrole login prod
  swrole login dev-sso --device-code
  swrole login --sso-session corp
  swrole login prod --duration 36h
  swrole login prod --mfa-code 123456
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('login', args, COMMANDS.login.options);
  if (positionals.length > 1) throw usageError('login', `unexpected argument "${positionals[1]}"`);
  const flags = readCredentialFlags('login', values, positionals[0]);
  const reporters = createReporters(deps, flags.debug);
  const ssoSession = values['sso-session'];
  if (ssoSession !== undefined) {
    if (flags.profile !== undefined) throw usageError('login', 'give either PROFILE or --sso-session, not both');
    const config = loadAwsConfig(deps, flags.sourceConfig ? { configFile: flags.sourceConfig } : {});
    await ssoSignIn(deps, values, reporters, { config, selected: undefined, source: { session: ssoSession } });
    return 0;
  }
  const picked = await pickProfile(deps, 'login', flags);
  if (picked !== undefined) flags.profile = picked;
  // --read-only / --policy / --agent select the scoped session (its own cache entry), as for process/env/exec.
  const scope = readScopeFlags(values, deps.cwd);
  checkNoSession('login', flags.noSession, scope);
  const prepared = prepareRequest(deps, { ...flags, scope }, reporters.warn);
  const source = prepared.plan.steps[0];
  if (source.kind === 'sso') {
    await ssoSignIn(deps, values, reporters, { config: prepared.config, selected: prepared.plan.profile, source });
  } else if (values['device-code'] === true) {
    throw usageError('login', `--device-code is for IAM Identity Center profiles; profile "${prepared.plan.profile}" is not one`);
  }
  // A typo fails here, before any lock or STS call (and --force keeps the old session whatever fails later).
  if (flags.mfaCode !== undefined) checkMfaCodeFlag(prepared.plan.profile, flags.mfaCode);
  const request = {
    mfaSessionSeconds: flags.durationSeconds,
    mfaCode: flags.mfaCode,
    noCache: flags.noCache,
    noSession: flags.noSession,
    allowPrompt: true,
  };
  const ctx = createEngineContext(deps, prepared, request, reporters);
  const { obtainCredentials } = await import('../credentials/obtain-credentials.js');
  const { mfaDeviceOf, obtainMfaSession } = await import('../credentials/obtain-mfa-session.js');
  const planned = planSessions(prepared, request);
  const first = planned.hops[0];
  // The MFA device: the first role's (assumed with the MFA session), or the profile's own when it is the user
  // itself (long-term keys with mfa_serial and no role: what exec/env/process then hand out is this session).
  const device = first?.mfa === 'session' ? mfaDeviceOf(first) : planned.source?.kind === 'mfaSession' ? planned.source : undefined;
  const now = deps.now();
  if (device !== undefined) {
    let mfa = await obtainMfaSession(ctx, device, values.force === true);
    // Say "still valid" only of a session STS still accepts (a clock jump or a copied cache fools the expiry
    // swrole keeps); a refused one is dropped and a new one started here, where a person can answer (issue 13).
    const key = mfaSessionKey(prepared.config, prepared.plan.steps[0], device.serial, prepared.endpoint);
    if (mfa.hit && !(await stillAccepted(ctx, key, mfa.session.credentials, `MFA session for ${device.serial}`))) {
      mfa = await obtainMfaSession(ctx, device);
    }
    const until = mfa.session.credentials.expiration;
    deps.stderr.write(
      `swrole: ${mfa.hit ? 'MFA session still valid' : 'MFA session started'} for ${device.serial} (source profile "${prepared.plan.steps[0].profile}")` +
        ` until ${formatExpiry(until, now, deps.timeZone)}\n`,
    );
  } else if (source.kind !== 'sso' && (first === undefined || first.step.mfaSerial === null)) {
    deps.stderr.write(`swrole: profile "${prepared.plan.profile}" needs no MFA; fetching its credentials\n`);
  }
  let result = await obtainCredentials(ctx, planned);
  const roleKey = result.sessionKey;
  if (
    result.hit &&
    roleKey !== undefined &&
    !(await stillAccepted(ctx, roleKey, result.credentials, `session of "${prepared.plan.profile}"`))
  ) {
    result = await obtainCredentials(ctx, planned);
  }
  const arn = result.session?.meta.assumedRoleArn ?? result.session?.meta.federatedUserArn;
  const who = typeof arn === 'string' ? arn : `profile "${prepared.plan.profile}"`;
  const until = result.credentials.expiration;
  deps.stderr.write(
    `swrole: ${who} ready${until ? ` until ${formatExpiry(until, now, deps.timeZone)}` : ''}${result.hit ? ' (cached)' : ''}\n`,
  );
  return 0;
}

/** The IAM Identity Center sign-in of `login` (src/credentials/sso-login.ts), loaded only for SSO profiles. */
async function ssoSignIn(
  deps: Deps,
  values: { 'device-code'?: boolean | undefined; force?: boolean | undefined },
  reporters: ReturnType<typeof createReporters>,
  target: { config: AwsConfig; selected: string | undefined; source: SsoSource | { session: string } },
): Promise<void> {
  const { loginSso } = await import('../credentials/sso-login.js');
  const { openBrowser } = await import('../console/open-browser.js');
  const { token, how, describe } = await loginSso({
    deps,
    ...target,
    stateDir: resolveSwroleDirs(deps.env, deps.homedir, deps.platform).cacheDir,
    deviceCode: values['device-code'] === true,
    force: values.force === true,
    openBrowser: (url) => openBrowser(url, deps.env, deps.platform),
    notice: reporters.notice,
    debug: reporters.debug,
  });
  const said = { valid: 'still signed in to', other: 'another swrole signed in to', browser: 'signed in to', device: 'signed in to' }[how];
  deps.stderr.write(
    `swrole: ${said} IAM Identity Center ${describe} until ${formatExpiry(token.expiresAt, deps.now(), deps.timeZone)}` +
      `${token.refreshToken ? ' (refreshed silently after that)' : ''}\n`,
  );
}
