import type { Deps } from '../../platform/deps.js';
import { isSwroleError, usageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';
import { COMMANDS } from '../../registry/command-registry.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { nativeBackendOf, type KeyringBackend } from '../../domain/keyring-backend.js';
import { KEYRING_MARKER } from '../../integrations/keyring-profile.js';
import { stringValue } from '../../config/types.js';
import { storeOf } from './keys-common.js';

export const help = `Usage: swrole keys list [--json]

Shows which profiles have long-term keys where: in the Secret Service, in swrole's encrypted files, or in
plaintext in the AWS credentials or config file (those are what \`swrole keys import\` moves). No secret
is shown, and no passphrase is needed (the names of the encrypted files are not secret).

One line per profile and place: PROFILE, WHERE (secret-service, file, plaintext), and the profile's
swrole_keyring value ("-" when it has none). A keyring that cannot be reached is reported on stderr.

Options:
  --json          one JSON array of {profile, where, configured}
`;

interface Row {
  profile: string;
  where: KeyringBackend | 'plaintext';
  configured: string | null;
}

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('keys list', args, COMMANDS.keys.subcommands.list.options);
  if (positionals.length > 0) throw usageError('keys list', `unexpected argument "${positionals[0]}"`);
  const config = loadAwsConfig(deps);
  const configured = (profile: string) => {
    const v = config.profiles.get(profile)?.values;
    return (v === undefined ? undefined : stringValue(v, KEYRING_MARKER)?.trim()) ?? null;
  };
  const rows: Row[] = [];
  let failed = false;
  const backends: KeyringBackend[] = [...(nativeBackendOf(deps.platform) ? [nativeBackendOf(deps.platform)!] : []), 'file'];
  for (const backend of backends) {
    try {
      for (const profile of await storeOf(deps, backend).list()) rows.push({ profile, where: backend, configured: configured(profile) });
    } catch (error) {
      if (!isSwroleError(error)) throw error;
      failed = true;
      deps.stderr.write(`swrole: ${error.message}\n`);
    }
  }
  for (const [name, profile] of config.profiles) {
    if (Object.hasOwn(profile.values, 'aws_secret_access_key'))
      rows.push({ profile: name, where: 'plaintext', configured: configured(name) });
  }
  rows.sort((a, b) => a.profile.localeCompare(b.profile) || a.where.localeCompare(b.where));
  if (values.json === true) deps.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) deps.stdout.write(`${r.profile}\t${r.where}\t${r.configured ?? '-'}\n`);
  return failed ? 1 : 0;
}
