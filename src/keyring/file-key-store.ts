/**
 * swrole's encrypted key files, for machines without an OS keyring (docs/reference/sso-keyring-console.md B.5):
 * one file per item, `<dir>/<percent-encoded account>.json` (0600 in a 0700 directory, replaced atomically:
 * temp file, fsync, rename), sealed by keyfile-crypto.ts. Every item of a directory shares one passphrase: a new
 * item is written only with the passphrase that opens the others.
 */
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SwroleError } from '../errors.js';
import { replaceFileAtomic } from '../platform/atomic-replace.js';
import { ensurePrivateDir } from '../platform/private-dir.js';
import { itemAccount, parseKeyItem, profileOfAccount, renderKeyItem } from './key-item.js';
import type { KeyStore, PassphraseSource } from './key-store.js';
import { KeyfileError, openKeyfile, sealKeyfile, type ScryptParams } from './keyfile-crypto.js';

export interface FileKeyStoreOptions {
  dir: string;
  platform: NodeJS.Platform;
  passphrase: PassphraseSource;
  /** Tests lower the scrypt cost; users get DEFAULT_SCRYPT. */
  scrypt?: ScryptParams;
}

const SUFFIX = '.json';

/** `aws:dev` → `aws%3Adev`: every byte outside [A-Za-z0-9._-] as %XX, so any profile name is one safe file name. */
export function encodeItemFileName(account: string): string {
  return [...Buffer.from(account, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9._-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

export function decodeItemFileName(name: string): string | undefined {
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

function fileError(doing: string, path: string, error: unknown): SwroleError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new SwroleError('E_KEYRING_FILE', `cannot ${doing} ${path}: ${code}`, {
    hint: 'check the permissions of the key directory (set SWROLE_HOME to move it), or its free space',
    cause: error,
  });
}

function openError(error: KeyfileError, path: string): SwroleError {
  switch (error.kind) {
    case 'passphrase':
      return new SwroleError('E_KEYRING_PASSPHRASE', `the passphrase does not open ${path}`, {
        hint: 'type it again (or fix SWROLE_FILE_PASSPHRASE); every key file of this directory has the same passphrase',
        cause: error,
      });
    case 'tampered':
      return new SwroleError('E_KEYRING_TAMPERED', `${path} failed authentication: ${error.message}`, {
        hint: 'the file was changed or damaged after swrole wrote it: do not trust it; remove it and store the keys again (`swrole keys add PROFILE`)',
        cause: error,
      });
    case 'format':
      return new SwroleError('E_KEYRING_ITEM_INVALID', `${path} is not a swrole key file (${error.message})`, {
        hint: 'move it out of the key directory, then store the keys again (`swrole keys add PROFILE`)',
        cause: error,
      });
  }
}

export function createFileKeyStore(o: FileKeyStoreOptions): KeyStore {
  const pathOf = (profile: string) => join(o.dir, `${encodeItemFileName(itemAccount(profile))}${SUFFIX}`);
  let verified: string | undefined;

  const readText = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw fileError('read', path, error);
    }
  };
  const itemFiles = (): string[] => {
    try {
      return readdirSync(o.dir)
        .filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.'))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw fileError('list', o.dir, error);
    }
  };
  const decrypt = (account: string, path: string, text: string, passphrase: string): string => {
    try {
      return openKeyfile(account, text, passphrase);
    } catch (error) {
      if (error instanceof KeyfileError) throw openError(error, path);
      throw error;
    }
  };

  return {
    backend: 'file',
    description: `swrole's encrypted key files in ${o.dir}`,
    async read(profile) {
      const path = pathOf(profile);
      const text = readText(path);
      if (text === undefined) return undefined;
      const passphrase = verified ?? (await o.passphrase('open', o.dir));
      const plain = decrypt(itemAccount(profile), path, text, passphrase);
      verified = passphrase;
      return parseKeyItem(plain, path);
    },
    async write(profile, key) {
      const path = pathOf(profile);
      let passphrase = verified;
      if (passphrase === undefined) {
        // One passphrase per directory: prove it on an item that exists (another profile's, or this one's).
        const other = itemFiles().find((n) => decodeItemFileName(n.slice(0, -SUFFIX.length)) !== undefined);
        passphrase = await o.passphrase(other === undefined ? 'create' : 'open', o.dir);
        if (other !== undefined) {
          const otherPath = join(o.dir, other);
          const text = readText(otherPath);
          if (text !== undefined) decrypt(decodeItemFileName(other.slice(0, -SUFFIX.length))!, otherPath, text, passphrase);
        }
        verified = passphrase;
      }
      const sealed = sealKeyfile(itemAccount(profile), renderKeyItem(key), passphrase, o.scrypt);
      try {
        ensurePrivateDir(o.dir, o.platform);
        replaceFileAtomic(path, sealed, 0o600, o.platform);
      } catch (error) {
        throw fileError('write', path, error);
      }
    },
    async remove(profile) {
      const path = pathOf(profile);
      try {
        unlinkSync(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw fileError('remove', path, error);
      }
    },
    async list() {
      return itemFiles()
        .map((n) => decodeItemFileName(n.slice(0, -SUFFIX.length)))
        .map((account) => (account === undefined ? undefined : profileOfAccount(account)))
        .filter((p): p is string => p !== undefined);
    },
  };
}
