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

export const help = `Usage: swrole keys rotate PROFILE [--resume]

Replaces the profile's keyring key with a new IAM access key: ListAccessKeys (a user that already has two
keys is refused before anything changes) → CreateAccessKey → the new key recorded in the keyring next to the
old one → GetCallerIdentity with the new key until IAM has propagated it (every 2 s, up to 30 s) → the new key
becomes the profile's → DeleteAccessKey of the old key, signed by the new one → the sessions made from the old
key are cleared. IAM is called with the long-term key itself and at the endpoint AWS_ENDPOINT_URL_IAM (else
AWS_ENDPOINT_URL, else iam.amazonaws.com); a policy that requires MFA for IAM calls is not supported yet.

A run that is killed or fails half-way leaves the keyring saying where it stopped; \`--resume\` finishes it
(and \`rotate\` refuses to start another until then).

Options:
  --resume        finish an interrupted rotation
  --wait D        how long the new key may take to work (default 30s; seconds, or 1m, 90s)

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
  const { oldKeyId, newKeyId } = await rotateKey(deps, config, {
    profile,
    backend,
    resume: values.resume === true,
    say,
    debug: reporters.debug,
    ...(waitMs !== undefined ? { propagationMs: waitMs } : {}),
  });
  if (oldKeyId === newKeyId) return 0;
  const sessions = forgetSessions(deps, config, profile, reporters.warn);
  say(`rotated profile "${profile}": ${maskKeyId(oldKeyId)} → ${maskKeyId(newKeyId)}; ${sessions}`);
  return 0;
}
