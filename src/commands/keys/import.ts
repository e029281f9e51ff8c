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
import { expandUser } from '../../config/expand-path.js';
import type { KeyringBackend } from '../../domain/keyring-backend.js';
import { AwsVaultFileError, listAwsVaultItems, readAwsVaultItem } from '../../keyring/aws-vault-file.js';
import { checkKeyProfile, checkKeys, currentBackend, forgetSessions, MOVED_NOTE, storeOf, writeMarker } from './keys-common.js';

export const help = `Usage: swrole keys import PROFILE [--yes] [--keyring secret-service|file]
       swrole keys import PROFILE --from-aws-vault-file DIR [--keyring secret-service|file]

Moves the profile's plaintext IAM user key from ~/.aws/credentials (or ~/.aws/config) into a keyring, then
removes it from the file: the key is stored and read back first, the edit is lossless, and the file's
backup (<file>.swrole-backup, 0600) has the secret replaced by "${MOVED_NOTE}", so no plaintext copy
stays on disk. [profile PROFILE] gets swrole_keyring and a credential_process running swrole, as with
\`swrole keys add\`. Asks before changing anything; --yes is that consent for scripts.

With --from-aws-vault-file DIR the key comes from aws-vault's encrypted "file" keyring instead (its
default DIR is ~/.awsvault/keys): the item named PROFILE is decrypted (aws-vault's passphrase from
AWS_VAULT_FILE_PASSPHRASE, else asked on the terminal; never from argv), stored and read back; aws-vault's
own item is left as it is (remove it with \`aws-vault remove PROFILE\` once swrole works). aws-vault's
cached sessions in that directory are not keys and are skipped.

Options:
  --yes                       do not ask (needed without a terminal)
  --keyring NAME              secret-service (default on Linux) or file; else SWROLE_KEYRING
  --from-aws-vault-file DIR   read the key from aws-vault's file keyring in DIR

Examples:
  swrole keys import default
  swrole keys import ci --yes --keyring file      (SWROLE_FILE_PASSPHRASE set)
  swrole keys import dev --from-aws-vault-file ~/.awsvault/keys
`;

/** aws-vault's passphrase: its own variable (set, even empty, as aws-vault reads it), else the terminal. */
async function awsVaultPassphrase(deps: Deps, dir: string): Promise<string> {
  const fromEnv = deps.env.AWS_VAULT_FILE_PASSPHRASE;
  if (fromEnv !== undefined) return fromEnv;
  const answer = deps.interactive ? await promptOnTty(`Passphrase of aws-vault's file keyring (${dir}): `, deps.platform) : undefined;
  if (answer === undefined) {
    throw new SwroleError(
      'E_KEYRING_PASSPHRASE_REQUIRED',
      `aws-vault's file keyring in ${dir} needs its passphrase and no terminal is available to ask for it; nothing was stored`,
      { hint: 'set AWS_VAULT_FILE_PASSPHRASE for this run (aws-vault reads the same variable), or run it in a terminal' },
    );
  }
  if (answer.kind === 'cancelled') throw new SwroleError('E_INTERRUPTED', 'cancelled at the passphrase prompt; nothing was stored', {});
  return answer.text;
}

/** The key of aws-vault's credentials item `profile` in its file keyring `dir`. */
async function readFromAwsVaultFile(deps: Deps, dir: string, profile: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  let items;
  try {
    items = listAwsVaultItems(dir);
  } catch (error) {
    throw new SwroleError(
      'E_AWS_VAULT_ITEM_MISSING',
      `cannot read aws-vault's file keyring ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; nothing was stored`,
      { hint: 'name the directory of aws-vault\'s "file" backend (default ~/.awsvault/keys, or its AWS_VAULT_FILE_DIR)', cause: error },
    );
  }
  const path = items.credentials.get(profile);
  if (path === undefined) {
    const names = [...items.credentials.keys()].sort();
    throw new SwroleError(
      'E_AWS_VAULT_ITEM_MISSING',
      `aws-vault's file keyring ${dir} has no key named "${profile}" (it has ${names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', ')}` +
        `${items.sessions > 0 ? `; ${items.sessions} session item(s) skipped` : ''}); nothing was stored`,
      { hint: '`AWS_VAULT_BACKEND=file aws-vault list` names the profiles whose keys it holds: give one of them as PROFILE' },
    );
  }
  const passphrase = await awsVaultPassphrase(deps, dir);
  let key;
  try {
    key = readAwsVaultItem(profile, path, passphrase);
  } catch (error) {
    if (!(error instanceof AwsVaultFileError)) {
      throw new SwroleError('E_AWS_VAULT_ITEM_MISSING', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        hint: "check the permissions of aws-vault's key directory",
        cause: error,
      });
    }
    if (error.kind === 'passphrase') {
      throw new SwroleError('E_AWS_VAULT_PASSPHRASE', `the passphrase does not open aws-vault's item ${path}; nothing was stored`, {
        hint: 'give the passphrase aws-vault asks for ("Enter passphrase to unlock …"), in AWS_VAULT_FILE_PASSPHRASE or at the prompt',
        cause: error,
      });
    }
    throw new SwroleError(
      'E_AWS_VAULT_ITEM_INVALID',
      `${path} is not a readable aws-vault credentials item: ${error.message}; nothing was stored`,
      {
        hint: 'check it with `AWS_VAULT_BACKEND=file aws-vault exec --no-session PROFILE -- true`; else store the key with `swrole keys add PROFILE`',
        cause: error,
      },
    );
  }
  if (key.sessionToken !== '') {
    throw new SwroleError(
      'E_KEYS_INPUT',
      `aws-vault's item "${profile}" holds temporary credentials (a session token): only IAM user keys are kept; nothing was stored`,
      {
        hint: 'import the profile that holds the IAM user key instead',
      },
    );
  }
  return { accessKeyId: key.accessKeyId.trim(), secretAccessKey: key.secretAccessKey.trim() };
}

/** Stores the key and reads it back: only a key that reads back identical may leave where it was. */
async function storeVerified(
  deps: Deps,
  backend: KeyringBackend,
  profile: string,
  key: { accessKeyId: string; secretAccessKey: string },
  from: string,
): Promise<void> {
  const store = storeOf(deps, backend);
  await store.write(profile, { ...key, createdAt: new Date(deps.now()).toISOString(), source: 'import' });
  const back = await store.read(profile);
  if (back?.accessKeyId !== key.accessKeyId || back.secretAccessKey !== key.secretAccessKey) {
    throw new SwroleError(
      'E_KEYRING_FAILED',
      `${describeBackend(backend)} did not give back the key just stored; nothing was removed from ${from}`,
      {
        hint: `run \`swrole keys list\` and try again; the key in ${from} is untouched`,
      },
    );
  }
}

async function importFromAwsVault(
  deps: Deps,
  profile: string,
  dirArg: string,
  keyring: string | undefined,
  debug: boolean,
): Promise<number> {
  const reporters = createReporters(deps, debug);
  const dir = expandUser(dirArg, deps.homedir);
  const config = loadAwsConfig(deps);
  checkKeyProfile(config, profile, false);
  const backend = chooseBackend(keyring, deps.env, currentBackend(config, profile), deps.platform);
  const key = await readFromAwsVaultFile(deps, dir, profile);
  checkKeys(key.accessKeyId, key.secretAccessKey);
  await storeVerified(deps, backend, profile, key, dir);
  const configLine = await writeMarker(deps, config, profile, backend);
  const sessions = forgetSessions(deps, loadAwsConfig(deps), profile, reporters.warn);
  deps.stderr.write(
    `swrole: imported the key ${maskKeyId(key.accessKeyId)} of profile "${profile}" from aws-vault's file keyring ${dir} into ${describeBackend(backend)}\n`,
  );
  deps.stderr.write(`swrole: ${configLine}; ${sessions}\n`);
  deps.stderr.write(
    `swrole: aws-vault's item is unchanged: remove it with \`AWS_VAULT_BACKEND=file aws-vault remove ${profile}\` once swrole works\n`,
  );
  return 0;
}

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('keys import', args, COMMANDS.keys.subcommands.import.options);
  if (positionals.length !== 1)
    throw usageError('keys import', positionals.length === 0 ? 'name the profile' : `unexpected argument "${positionals[1]}"`);
  const profile = positionals[0] as string;
  const fromAwsVault = values['from-aws-vault-file'];
  if (fromAwsVault !== undefined) return importFromAwsVault(deps, profile, fromAwsVault, values.keyring, values.debug === true);
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
  await storeVerified(deps, backend, profile, { accessKeyId, secretAccessKey }, files);
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
