/**
 * The keys of a keyring source (issue 12), read on a cache miss only (a hit never loads this module, the keyring
 * addon or the passphrase prompt). One store per backend per process, so the file passphrase is asked once.
 */
import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import { describeBackend, type KeyringBackend } from '../domain/keyring-backend.js';
import type { Deps } from '../platform/deps.js';
import type { KeyringSource } from '../plan/types.js';
import type { KeyStore, PassphraseSource } from '../keyring/key-store.js';
import { openKeyStore } from '../keyring/open-key-store.js';
import type { StoredKey } from '../keyring/key-item.js';
import type { EngineContext } from './engine-options.js';
import { promptOnTty } from './tty-prompt.js';
import { maskKeyId } from './mask-secret.js';

export interface PassphraseOptions {
  /** A person may be asked (false for `swrole process`, agents, no terminal). */
  allowPrompt: boolean;
  /** Told while a person is waited for (the cache lock records it), then undefined. */
  waiting?: (what: string | undefined) => void;
}

function passphraseRequired(dir: string): SwroleError {
  return new SwroleError(
    'E_KEYRING_PASSPHRASE_REQUIRED',
    `the passphrase of swrole's key files in ${dir} is needed and no terminal is available to ask for it`,
    {
      hint: 'set SWROLE_FILE_PASSPHRASE in the environment of this run, or run the command once in a terminal (the session it makes is cached)',
    },
  );
}

async function ask(prompt: string, deps: Deps, dir: string, o: PassphraseOptions): Promise<string> {
  o.waiting?.('waiting for the key-file passphrase at a terminal');
  let answer;
  try {
    answer = await promptOnTty(prompt, deps.platform);
  } finally {
    o.waiting?.(undefined);
  }
  if (answer === undefined) throw passphraseRequired(dir);
  if (answer.kind === 'cancelled') throw new SwroleError('E_INTERRUPTED', 'cancelled at the passphrase prompt; nothing was changed', {});
  return answer.text;
}

/**
 * SWROLE_FILE_PASSPHRASE, else a prompt on the terminal (twice for a new store), else E_KEYRING_PASSPHRASE_REQUIRED
 * at once: a run without a person never waits (DESIGN.md Agents). Never from argv.
 */
export function passphraseSource(deps: Deps, o: PassphraseOptions): PassphraseSource {
  return async (purpose, dir) => {
    const fromEnv = deps.env.SWROLE_FILE_PASSPHRASE;
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (!o.allowPrompt || !deps.interactive) throw passphraseRequired(dir);
    if (purpose === 'open') return ask(`Passphrase for swrole's key files (${dir}): `, deps, dir, o);
    const first = await ask(`New passphrase for swrole's key files (${dir}): `, deps, dir, o);
    if (first.length < 8) {
      throw new SwroleError('E_KEYS_INPUT', 'the passphrase is shorter than 8 characters; nothing was stored', {
        hint: 'choose a longer one (it is all that protects the keys on this disk)',
      });
    }
    const again = await ask('Repeat the passphrase: ', deps, dir, o);
    if (again !== first)
      throw new SwroleError('E_KEYS_INPUT', 'the two passphrases differ; nothing was stored', { hint: 'run the command again' });
    return first;
  };
}

const stores = new WeakMap<Deps, Map<KeyringBackend, KeyStore>>();

/** The store of `backend` for this process (one per backend, so a passphrase is asked once). */
export function keyStoreFor(deps: Deps, backend: KeyringBackend, o: PassphraseOptions): KeyStore {
  const mine = stores.get(deps) ?? new Map<KeyringBackend, KeyStore>();
  stores.set(deps, mine);
  let store = mine.get(backend);
  if (store === undefined) {
    store = openKeyStore(backend, { env: deps.env, homedir: deps.homedir, platform: deps.platform, passphrase: passphraseSource(deps, o) });
    mine.set(backend, store);
  }
  return store;
}

export function itemMissing(profile: string, backend: KeyringBackend, store: KeyStore): SwroleError {
  return new SwroleError(
    'E_KEYRING_ITEM_MISSING',
    `profile "${profile}": swrole_keyring = ${backend}, but ${store.description} holds no keys for it`,
    {
      hint: `store them with \`swrole keys add ${profile}\` (\`swrole keys list\` shows where keys are; on another machine the keyring is another one)`,
    },
  );
}

/** The profile's stored key, or E_KEYRING_ITEM_MISSING. */
export async function readStoredKey(deps: Deps, source: KeyringSource, o: PassphraseOptions): Promise<StoredKey> {
  const store = keyStoreFor(deps, source.backend, o);
  const key = await store.read(source.profile);
  if (key === undefined) throw itemMissing(source.profile, source.backend, store);
  return key;
}

/** The source's long-term keys (only ever used inside swrole: consumers get a session of them). */
export async function readKeyringCredentials(ctx: EngineContext, source: KeyringSource): Promise<Credentials> {
  const key = await readStoredKey(ctx.deps, source, {
    allowPrompt: ctx.request.allowPrompt,
    waiting: (what) => ctx.store.setLockActivity(what === undefined ? undefined : { doing: what, person: true }),
  });
  ctx.debug(`source: keys of profile "${source.profile}" from ${describeBackend(source.backend)} (${maskKeyId(key.accessKeyId)})`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}
