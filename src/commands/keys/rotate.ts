import type { Deps } from '../../platform/deps.js';
import { SwroleError, usageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';
import { createReporters } from '../credential-options.js';
import { COMMANDS } from '../../registry/command-registry.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { maskKeyId } from '../../credentials/mask-secret.js';
import { currentBackend, forgetSessions } from './keys-common.js';
import { parseDuration } from '../credential-options.js';
import { rotateKey } from '../../credentials/rotate-key.js';
import type { Credentials } from '../../domain/credentials.js';
import { prepareRequest } from '../../credentials/prepare-request.js';
import { createEngineContext } from '../../credentials/create-engine-context.js';
import { planSessions } from '../../credentials/get-credentials.js';
import { checkMfaCodeFlag } from '../../credentials/mfa-code.js';

export const help = `Usage: swrole keys rotate PROFILE [--resume]

Replaces the profile's keyring key with a new IAM access key: ListAccessKeys (a user that already has two
keys is refused before anything changes) → CreateAccessKey → the new key recorded in the keyring next to the
old one → GetCallerIdentity with the new key until IAM has propagated it (every 2 s, up to 30 s) → the new key
becomes the profile's → DeleteAccessKey of the old key, signed by the new one → the sessions made from the old
key are cleared. IAM is called at the endpoint AWS_ENDPOINT_URL_IAM (else AWS_ENDPOINT_URL, else
iam.amazonaws.com) with the long-term key itself, or, when the profile has mfa_serial (a policy may deny IAM
without MFA), with MFA sessions: the old key's (cached by \`swrole login\`, else one MFA code) for
ListAccessKeys and CreateAccessKey, and one of the new key (the next MFA code: a code is good once) for
DeleteAccessKey, which then stays cached as the profile's MFA session.

A run that is killed or fails half-way leaves the keyring saying where it stopped; \`--resume\` finishes it
(and \`rotate\` refuses to start another until then).

Options:
  --resume        finish an interrupted rotation
  --wait D        how long the new key may take to work (default 30s; seconds, or 1m, 90s)
  --mfa-code CODE the first MFA code needed (mfa_serial profiles); later ones come from mfa_process or the
                  terminal

Examples:
  swrole keys rotate dev
  swrole keys rotate dev --resume
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('keys rotate', args, COMMANDS.keys.subcommands.rotate.options);
  if (positionals.length !== 1)
    throw usageError('keys rotate', positionals.length === 0 ? 'name the profile' : `unexpected argument "${positionals[1]}"`);
  const profile = positionals[0] as string;
  const reporters = createReporters(deps, values.debug === true);
  const config = loadAwsConfig(deps);
  const backend = currentBackend(config, profile);
  if (backend === undefined) {
    throw new SwroleError('E_KEYS_PROFILE', `profile "${profile}" keeps no key in a keyring (no swrole_keyring): nothing to rotate`, {
      hint: `move its key there first: \`swrole keys import ${profile}\` or \`swrole keys add ${profile}\``,
    });
  }
  const waitMs = values.wait === undefined ? undefined : parseDuration('keys rotate', values.wait) * 1000;
  const say = (line: string) => deps.stderr.write(`swrole: ${line}\n`);
  const mfaCode = values['mfa-code'];
  if (mfaCode !== undefined) checkMfaCodeFlag(profile, mfaCode);
  const mfaSession = await mfaSessionOf(deps, profile, mfaCode, reporters);
  const { oldKeyId, newKeyId, sessions } = await rotateKey(deps, config, {
    profile,
    backend,
    resume: values.resume === true,
    say,
    debug: reporters.debug,
    ...(waitMs !== undefined ? { propagationMs: waitMs } : {}),
    ...(mfaSession !== undefined ? { mfaSession } : {}),
    forgetOld: () => forgetSessions(deps, loadAwsConfig(deps), profile, reporters.warn),
  });
  if (oldKeyId === newKeyId) return 0;
  say(`rotated profile "${profile}": ${maskKeyId(oldKeyId)} → ${maskKeyId(newKeyId)}; ${sessions ?? 'no cached session to clear'}`);
  return 0;
}

/**
 * For a profile with mfa_serial: its MFA session through the engine (the cache `swrole login` fills, --mfa-code,
 * mfa_process or the terminal). --mfa-code is good for the first session made only: an MFA code works once.
 */
async function mfaSessionOf(
  deps: Deps,
  profile: string,
  mfaCode: string | undefined,
  reporters: ReturnType<typeof createReporters>,
): Promise<((fresh: boolean) => Promise<Credentials>) | undefined> {
  const prepared = prepareRequest(deps, { profile }, reporters.warn);
  const request = { mfaCode, allowPrompt: true };
  const planned = planSessions(prepared, request);
  const device = planned.source?.kind === 'mfaSession' ? planned.source : undefined;
  if (device === undefined) return undefined;
  const { obtainMfaSession } = await import('../../credentials/obtain-mfa-session.js');
  let code = mfaCode;
  return async (fresh) => {
    const ctx = createEngineContext(deps, prepared, { ...request, mfaCode: code }, reporters);
    const { session, hit } = await obtainMfaSession(ctx, { serial: device.serial, mfaProcess: device.mfaProcess }, fresh);
    if (!hit) code = undefined;
    return session.credentials;
  };
}
