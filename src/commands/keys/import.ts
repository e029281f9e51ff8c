import type { Deps } from '../../platform/deps.js';
import { SwroleError, usageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';
import { createReporters } from '../credential-options.js';
import { COMMANDS } from '../../registry/command-registry.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { stringValue } from '../../config/types.js';
import { describeBackend } from '../../domain/keyring-backend.js';
import { chooseBackend } from '../../keyring/open-key-store.js';
import { promptOnTty } from '../../credentials/tty-prompt.js';
import { maskKeyId } from '../../credentials/mask-secret.js';
import { redactSecretBackup, removePlaintextKeys } from '../../integrations/keyring-profile.js';
import { editFileSafely } from '../../integrations/safe-file-edit.js';
import { checkKeyProfile, checkKeys, currentBackend, forgetSessions, MOVED_NOTE, storeOf, writeMarker } from './keys-common.js';

export const help = `Usage: swrole keys import PROFILE [--yes] [--keyring secret-service|file]

Moves the profile's plaintext IAM user key from ~/.aws/credentials (or ~/.aws/config) into a keyring, then
removes it from the file: the key is stored and read back first, the edit is lossless, and the file's
backup (<file>.swrole-backup, 0600) has the secret replaced by "${MOVED_NOTE}", so no plaintext copy
stays on disk. [profile PROFILE] gets swrole_keyring and a credential_process running swrole, as with
\`swrole keys add\`. Asks before changing anything; --yes is that consent for scripts.

Options:
  --yes                 do not ask (needed without a terminal)
  --keyring NAME        secret-service (default on Linux) or file; else SWROLE_KEYRING

Examples:
  swrole keys import default
  swrole keys import ci --yes --keyring file      (SWROLE_FILE_PASSPHRASE set)
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('keys import', args, COMMANDS.keys.subcommands.import.options);
  if (positionals.length !== 1)
    throw usageError('keys import', positionals.length === 0 ? 'name the profile' : `unexpected argument "${positionals[1]}"`);
  const profile = positionals[0] as string;
  const reporters = createReporters(deps, values.debug === true);
  const config = loadAwsConfig(deps);
  const p = config.profiles.get(profile);
  const accessKeyId = p === undefined ? undefined : stringValue(p.values, 'aws_access_key_id')?.trim();
  const secretAccessKey = p === undefined ? undefined : stringValue(p.values, 'aws_secret_access_key')?.trim();
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new SwroleError(
      'E_KEYS_NOTHING_TO_IMPORT',
      `profile "${profile}" has no plaintext key in ${config.credentialsFile} or ${config.configFile}`,
      {
        hint: `\`swrole keys list\` shows where keys are; \`swrole keys add ${profile}\` stores a key you type`,
      },
    );
  }
  if (p?.values.aws_session_token !== undefined || p?.values.aws_security_token !== undefined) {
    throw new SwroleError(
      'E_KEYS_INPUT',
      `profile "${profile}" holds temporary credentials (aws_session_token): only IAM user keys are kept; nothing was moved`,
      {
        hint: 'import the profile that holds the IAM user key instead',
      },
    );
  }
  checkKeys(accessKeyId, secretAccessKey);
  checkKeyProfile(config, profile, true);
  const backend = chooseBackend(values.keyring, deps.env, currentBackend(config, profile), deps.platform);
  const inCredentials = p?.credentials !== undefined && Object.hasOwn(p.credentials.values, 'aws_secret_access_key');
  const files = [
    inCredentials ? config.credentialsFile : undefined,
    p?.config && Object.hasOwn(p.config.values, 'aws_secret_access_key') ? config.configFile : undefined,
  ]
    .filter((f): f is string => f !== undefined)
    .join(' and ');
  if (values.yes !== true) {
    const question = `Move the key ${maskKeyId(accessKeyId)} of profile "${profile}" from ${files} into ${describeBackend(backend)}? [y/N] `;
    const answer = deps.interactive ? await promptOnTty(question, deps.platform) : undefined;
    if (answer === undefined) {
      throw new SwroleError(
        'E_KEYS_CONSENT',
        `keys import changes ${files} and needs your consent: no terminal to ask on; nothing was moved`,
        {
          hint: `run it in a terminal, or pass --yes: swrole keys import ${profile} --yes`,
        },
      );
    }
    if (answer.kind === 'cancelled' || !/^y(es)?$/i.test(answer.text.trim())) {
      deps.stderr.write('swrole: nothing was moved\n');
      return 1;
    }
  }
  const store = storeOf(deps, backend);
  await store.write(profile, { accessKeyId, secretAccessKey, createdAt: new Date(deps.now()).toISOString(), source: 'import' });
  // Only a key that reads back identical may leave the file.
  const back = await store.read(profile);
  if (back?.accessKeyId !== accessKeyId || back.secretAccessKey !== secretAccessKey) {
    throw new SwroleError(
      'E_KEYRING_FAILED',
      `${describeBackend(backend)} did not give back the key just stored; nothing was removed from ${files}`,
      {
        hint: 'run `swrole keys list` and try again; your plaintext key is untouched',
      },
    );
  }
  if (inCredentials) {
    const file = config.credentialsFile;
    await editFileSafely(file, (text) => (text === undefined ? undefined : removePlaintextKeys(text, file, profile, 'credentials')), {
      backupPath: `${file}.swrole-backup`,
      backupText: (previous) => redactSecretBackup(previous, file, profile, 'credentials', MOVED_NOTE),
      platform: deps.platform,
      owner: { pid: deps.pid, command: deps.invocation ?? 'swrole keys import', now: deps.now },
    });
  }
  const configLine = await writeMarker(deps, config, profile, backend, true);
  const sessions = forgetSessions(deps, loadAwsConfig(deps), profile, reporters.warn);
  deps.stderr.write(
    `swrole: moved the key ${maskKeyId(accessKeyId)} of profile "${profile}" from ${files} into ${describeBackend(backend)}\n`,
  );
  deps.stderr.write(`swrole: ${configLine}; ${sessions}\n`);
  return 0;
}
