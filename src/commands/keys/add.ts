import type { Deps } from '../../platform/deps.js';
import { SwroleError, usageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';
import { createReporters } from '../credential-options.js';
import { COMMANDS } from '../../registry/command-registry.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { describeBackend } from '../../domain/keyring-backend.js';
import { chooseBackend } from '../../keyring/open-key-store.js';
import { promptOnTty } from '../../credentials/tty-prompt.js';
import { maskKeyId } from '../../credentials/mask-secret.js';
import { checkKeyProfile, checkKeys, currentBackend, forgetSessions, storeOf, writeMarker } from './keys-common.js';

export const help = `Usage: swrole keys add PROFILE [--from-env] [--keyring secret-service|file]

Stores an IAM user's long-term access key in a keyring instead of plaintext ~/.aws/credentials: the
Secret Service (GNOME Keyring, KWallet, KeePassXC; through secret-tool from libsecret-tools) or swrole's
encrypted files (scrypt + AES-256-GCM; the passphrase from a terminal or SWROLE_FILE_PASSPHRASE).
The key id and secret are read from the terminal (never from argv), or with --from-env from
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.

[profile PROFILE] in ~/.aws/config then gets \`swrole_keyring = <keyring>\` (where swrole finds the key) and a
credential_process running \`swrole process PROFILE\`, so the AWS CLI, boto3 and the SDKs keep working: they
get a GetSessionToken session of the key, never the key. The edit is lossless and backed up. Sessions
cached from a previous key of the profile are cleared.

Options:
  --from-env            read AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (for scripts)
  --keyring NAME        secret-service (default on Linux) or file; else SWROLE_KEYRING

Examples:
  swrole keys add dev
  AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… swrole keys add dev --from-env --keyring file
`;

async function ask(prompt: string, deps: Deps): Promise<string> {
  const answer = await promptOnTty(prompt, deps.platform);
  if (answer === undefined) {
    throw new SwroleError('E_KEYS_INPUT', 'no terminal to read the access key from; nothing was stored', {
      hint: 'run it in a terminal, or pass --from-env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set',
    });
  }
  if (answer.kind === 'cancelled') throw new SwroleError('E_INTERRUPTED', 'cancelled; nothing was stored', {});
  return answer.text.trim();
}

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('keys add', args, COMMANDS.keys.subcommands.add.options);
  if (positionals.length !== 1)
    throw usageError('keys add', positionals.length === 0 ? 'name the profile' : `unexpected argument "${positionals[1]}"`);
  const profile = positionals[0] as string;
  const reporters = createReporters(deps, values.debug === true);
  const config = loadAwsConfig(deps);
  checkKeyProfile(config, profile, false);
  const backend = chooseBackend(values.keyring, deps.env, currentBackend(config, profile), deps.platform);
  let accessKeyId: string;
  let secretAccessKey: string;
  if (values['from-env'] === true) {
    accessKeyId = (deps.env.AWS_ACCESS_KEY_ID ?? '').trim();
    secretAccessKey = (deps.env.AWS_SECRET_ACCESS_KEY ?? '').trim();
    if (accessKeyId === '' || secretAccessKey === '') {
      throw new SwroleError(
        'E_KEYS_INPUT',
        '--from-env: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set; nothing was stored',
        {
          hint: 'export both, or run without --from-env in a terminal',
        },
      );
    }
  } else {
    if (!deps.interactive) {
      throw new SwroleError('E_KEYS_INPUT', 'no terminal to read the access key from (or an agent runs this); nothing was stored', {
        hint: 'run it yourself in a terminal, or pass --from-env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set',
      });
    }
    accessKeyId = await ask('Access key ID: ', deps);
    secretAccessKey = await ask('Secret access key: ', deps);
  }
  checkKeys(accessKeyId, secretAccessKey);
  const store = storeOf(deps, backend);
  await store.write(profile, { accessKeyId, secretAccessKey, createdAt: new Date(deps.now()).toISOString(), source: 'add' });
  const configLine = await writeMarker(deps, config, profile, backend);
  const sessions = forgetSessions(deps, loadAwsConfig(deps), profile, reporters.warn);
  deps.stderr.write(`swrole: stored the key ${maskKeyId(accessKeyId)} of profile "${profile}" in ${describeBackend(backend)}\n`);
  deps.stderr.write(`swrole: ${configLine}; ${sessions}\n`);
  return 0;
}
