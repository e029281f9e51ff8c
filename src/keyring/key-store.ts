import type { KeyringBackend } from '../domain/keyring-backend.js';
import type { StoredKey } from './key-item.js';

/**
 * One place long-term keys live (docs/reference/sso-keyring-console.md B): an OS store through @napi-rs/keyring or
 * swrole's encrypted files. Every method may throw a SwroleError naming the store and what to do (a missing bus,
 * a locked keyring, a wrong passphrase); none hangs.
 */
export interface KeyStore {
  readonly backend: KeyringBackend;
  /** For messages: which store, e.g. `the Secret Service (GNOME Keyring, KWallet, KeePassXC)` or the file directory. */
  readonly description: string;
  /** The profile's key, or undefined when the store has no item for it. */
  read(profile: string): Promise<StoredKey | undefined>;
  write(profile: string, key: StoredKey): Promise<void>;
  /** True when an item was there. */
  remove(profile: string): Promise<boolean>;
  /** The profiles with an item (names only; no secret is read where the store allows). */
  list(): Promise<string[]>;
}

/** Where a passphrase for the encrypted files comes from; `create` when the store has no item yet (confirm it). */
export type PassphraseSource = (purpose: 'open' | 'create', dir: string) => Promise<string>;
