import { SwroleError } from '../errors.js';
import { KEYRING_BACKENDS, isKeyringBackend, nativeBackendOf, type KeyringBackend } from '../domain/keyring-backend.js';
import type { KeyStore, PassphraseSource } from './key-store.js';
import { createFileKeyStore } from './file-key-store.js';
import { createSecretServiceStore } from './secret-service-store.js';
import { resolveKeysDir } from './resolve-keys-dir.js';
import type { ScryptParams } from './keyfile-crypto.js';

export interface OpenKeyStoreOptions {
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  platform: NodeJS.Platform;
  passphrase: PassphraseSource;
  scrypt?: ScryptParams;
}

function noNativeStore(platform: NodeJS.Platform, asked: string): SwroleError {
  return new SwroleError(
    'E_KEYRING_BACKEND',
    `${asked}: swrole cannot use the OS keyring on ${platform} yet (only the Secret Service on Linux)`,
    {
      hint: "keep the keys in swrole's encrypted files: `swrole keys add PROFILE --keyring file` (or SWROLE_KEYRING=file)",
    },
  );
}

/** The store of a backend (nothing is run or asked for until it is used). */
export function openKeyStore(backend: KeyringBackend, o: OpenKeyStoreOptions): KeyStore {
  if (backend === 'file') {
    return createFileKeyStore({
      dir: resolveKeysDir(o.env, o.homedir, o.platform),
      platform: o.platform,
      passphrase: o.passphrase,
      ...(o.scrypt ? { scrypt: o.scrypt } : {}),
    });
  }
  if (nativeBackendOf(o.platform) !== backend) throw noNativeStore(o.platform, `swrole_keyring = ${backend}`);
  return createSecretServiceStore({ env: o.env, platform: o.platform });
}

/** A backend name from `--keyring`, SWROLE_KEYRING or `swrole_keyring`, checked. */
export function parseBackend(value: string, from: string): KeyringBackend {
  const text = value.trim();
  if (isKeyringBackend(text)) return text;
  throw new SwroleError('E_KEYRING_BACKEND', `${from} = ${JSON.stringify(value)} is not a keyring swrole knows`, {
    hint: `use one of ${KEYRING_BACKENDS.join(', ')}`,
  });
}

/**
 * Where a new item goes (`keys add`, `keys import`): `--keyring`, else SWROLE_KEYRING, else where the profile's
 * keys already are (`swrole_keyring`), else the platform's own store. Never a silent fallback: a store that cannot
 * be reached is an error naming the others.
 */
export function chooseBackend(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  current: KeyringBackend | undefined,
  platform: NodeJS.Platform,
): KeyringBackend {
  if (flag !== undefined) return parseBackend(flag, '--keyring');
  const fromEnv = env.SWROLE_KEYRING;
  if (fromEnv !== undefined && fromEnv !== '') return parseBackend(fromEnv, 'SWROLE_KEYRING');
  if (current !== undefined) return current;
  const native = nativeBackendOf(platform);
  if (native === undefined) throw noNativeStore(platform, 'no --keyring or SWROLE_KEYRING given');
  return native;
}
