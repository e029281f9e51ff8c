import type { Deps } from '../../platform/deps.js';
import { usageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';
import { createReporters } from '../credential-options.js';
import { COMMANDS } from '../../registry/command-registry.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { describeBackend } from '../../domain/keyring-backend.js';
import { chooseBackend } from '../../keyring/open-key-store.js';
import { currentBackend, forgetSessions, removeMarker, storeOf } from './keys-common.js';

export const help = `Usage: swrole keys remove PROFILE [--keyring secret-service|file]

Deletes the profile's key from its keyring (the one its swrole_keyring names, else --keyring, else
SWROLE_KEYRING, else the OS keyring), clears the sessions cached from it, and removes swrole_keyring and
swrole's credential_process from [profile PROFILE] (a credential_process of your own stays; the section
goes when nothing else is left in it). The IAM key itself stays valid in AWS: deactivate it there if it
should stop working.

Examples:
  swrole keys remove dev
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('keys remove', args, COMMANDS.keys.subcommands.remove.options);
  if (positionals.length !== 1)
    throw usageError('keys remove', positionals.length === 0 ? 'name the profile' : `unexpected argument "${positionals[1]}"`);
  const profile = positionals[0] as string;
  const reporters = createReporters(deps, values.debug === true);
  const config = loadAwsConfig(deps);
  const current = currentBackend(config, profile);
  const backend = current ?? chooseBackend(values.keyring, deps.env, undefined, deps.platform);
  // Sessions first, while the profile still resolves to its keyring (afterwards its section may be gone).
  const sessions = forgetSessions(deps, config, profile, reporters.warn);
  const deleted = await storeOf(deps, backend).remove(profile);
  const removed = await removeMarker(deps, config, profile);
  deps.stderr.write(
    `swrole: ${deleted ? 'deleted' : 'found no'} key of profile "${profile}" ${deleted ? 'from' : 'in'} ${describeBackend(backend)}; ${sessions}; ${
      removed.length > 0 ? `removed ${removed.join(' and ')} from ${config.configFile}` : `${config.configFile} unchanged`
    }\n`,
  );
  return 0;
}
