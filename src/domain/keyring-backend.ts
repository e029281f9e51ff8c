/**
 * Where a profile's long-term keys live when they are not in plaintext files (issue 12): the Secret Service
 * (through `secret-tool`, Linux and the BSDs), or swrole's encrypted files for machines without one. Named in the
 * AWS config by `swrole_keyring = <backend>`, and chosen for new items by `--keyring` or `SWROLE_KEYRING`.
 * The macOS Keychain and the Windows Credential Manager are not supported yet: there `file` is the choice.
 */
export const KEYRING_BACKENDS = ['secret-service', 'file'] as const;

export type KeyringBackend = (typeof KEYRING_BACKENDS)[number];

export function isKeyringBackend(value: string): value is KeyringBackend {
  return (KEYRING_BACKENDS as readonly string[]).includes(value);
}

/** The OS store of a platform swrole can use, or undefined where it has none yet (macOS, Windows). */
export function nativeBackendOf(platform: NodeJS.Platform): Exclude<KeyringBackend, 'file'> | undefined {
  if (platform === 'darwin' || platform === 'win32') return undefined;
  return 'secret-service';
}

/** For messages: what a backend is called where the user meets it. */
export function describeBackend(backend: KeyringBackend): string {
  switch (backend) {
    case 'secret-service':
      return 'the Secret Service (GNOME Keyring, KWallet, KeePassXC)';
    case 'file':
      return "swrole's encrypted key files";
  }
}
