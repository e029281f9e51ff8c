/**
 * What `swrole keys add|import|list|remove` share (issue 12): the store of a backend, the `swrole_keyring` marker
 * and swrole's credential_process in the profile (written through the lossless, locked, backed-up editor), and
 * clearing the sessions made from a profile's previous keys.
 */
import { SwroleError } from '../../errors.js';
import type { Deps } from '../../platform/deps.js';
import type { AwsConfig } from '../../config/types.js';
import { stringValue } from '../../config/types.js';
import { isKeyringBackend, type KeyringBackend } from '../../domain/keyring-backend.js';
import { keyStoreFor } from '../../credentials/keyring-credentials.js';
import { forgetSourceSessions } from '../../credentials/forget-sessions.js';
import type { KeyStore } from '../../keyring/key-store.js';
import { checkLongTermKey } from '../../keyring/key-item.js';
import { renderCredentialProcessCommand } from '../../integrations/credential-process-command.js';
import {
  KEYRING_MARKER,
  isSwroleProcessCommand,
  redactSecretBackup,
  removeKeyringMarker,
  writeKeyringMarker,
} from '../../integrations/keyring-profile.js';
import { editFileSafely } from '../../integrations/safe-file-edit.js';

export const CONFIG_BACKUP_SUFFIX = '.swrole-backup';
/** What a backup holds where a moved secret was. */
export const MOVED_NOTE = 'moved-to-keyring-by-swrole';

/** The store of `backend`; the file passphrase may be asked only when a person is there. */
export function storeOf(deps: Deps, backend: KeyringBackend): KeyStore {
  return keyStoreFor(deps, backend, { allowPrompt: deps.interactive });
}

/** Where the profile's keys are now, per its `swrole_keyring` (undefined: none, or a value swrole does not know). */
export function currentBackend(config: AwsConfig, profile: string): KeyringBackend | undefined {
  const values = config.profiles.get(profile)?.values;
  const value = values === undefined ? undefined : stringValue(values, KEYRING_MARKER)?.trim();
  return value !== undefined && isKeyringBackend(value) ? value : undefined;
}

/** A key id and secret that may be stored, else E_KEYS_INPUT (nothing stored). */
export function checkKeys(accessKeyId: string, secretAccessKey: string): void {
  const why = checkLongTermKey(accessKeyId, secretAccessKey);
  if (why !== undefined) {
    throw new SwroleError('E_KEYS_INPUT', `${why}; nothing was stored`, {
      hint: 'give the access key id and secret access key of an IAM user (IAM console → Security credentials → Access keys)',
    });
  }
}

/** `[profile P]` gets `swrole_keyring = backend` and `credential_process = <node> <swrole> process P`. */
export async function writeMarker(
  deps: Deps,
  config: AwsConfig,
  profile: string,
  backend: KeyringBackend,
  /** Plaintext keys of the section move to the keyring: the backup must not keep their secret. */
  redactBackup = false,
): Promise<string> {
  const file = config.configFile;
  const command = renderCredentialProcessCommand(deps.nodePath, deps.selfPath, ['process', profile]);
  const edit = await editFileSafely(file, (text) => writeKeyringMarker(text, file, profile, backend, command), {
    backupPath: `${file}${CONFIG_BACKUP_SUFFIX}`,
    ...(redactBackup ? { backupText: (previous: string) => redactSecretBackup(previous, file, profile, 'config', MOVED_NOTE) } : {}),
    platform: deps.platform,
    owner: { pid: deps.pid, command: deps.invocation ?? 'swrole keys', now: deps.now },
  });
  return edit.changed
    ? `${file}: [profile ${profile}] swrole_keyring = ${backend}, credential_process runs \`swrole process ${profile}\`${edit.backup ? ` (previous file kept as ${edit.backup})` : ''}`
    : `${file}: [profile ${profile}] already points at the keyring`;
}

/** Undoes writeMarker (a credential_process of the user's own stays). */
export async function removeMarker(deps: Deps, config: AwsConfig, profile: string): Promise<string[]> {
  const file = config.configFile;
  let removed: string[] = [];
  await editFileSafely(
    file,
    (text) => {
      if (text === undefined) return undefined;
      const result = removeKeyringMarker(text, file, profile);
      removed = result.removed;
      return result.text;
    },
    {
      backupPath: `${file}${CONFIG_BACKUP_SUFFIX}`,
      platform: deps.platform,
      owner: { pid: deps.pid, command: deps.invocation ?? 'swrole keys', now: deps.now },
    },
  );
  return removed;
}

/** Clears the cached sessions made from the profile's keys; one line for the report. */
export function forgetSessions(deps: Deps, config: AwsConfig, profile: string, warn: (message: string) => void): string {
  const { removed } = forgetSourceSessions(deps, config, profile, warn);
  return removed === 0 ? 'no cached session to clear' : `cleared ${removed} cached session(s) made from the previous keys`;
}

/**
 * A profile that may hold keys in a keyring: not a role, SSO or web-identity profile, no credential_process of
 * the user's own, and no plaintext keys (those win over the keyring for every AWS tool: `keys import` moves them).
 */
export function checkKeyProfile(config: AwsConfig, profile: string, allowPlaintext: boolean): void {
  const p = config.profiles.get(profile);
  if (p === undefined) return;
  const refuse = (why: string, hint: string) =>
    new SwroleError('E_KEYS_PROFILE', `profile "${profile}" ${why}; nothing was stored`, { hint });
  for (const key of ['role_arn', 'sso_session', 'sso_start_url', 'web_identity_token_file', 'credential_source', 'source_profile']) {
    if (Object.hasOwn(p.values, key)) {
      throw refuse(
        `has ${key}: it gets its credentials elsewhere`,
        'store the keys under the profile that holds the IAM user keys (the source_profile of your roles)',
      );
    }
  }
  const command = stringValue(p.values, 'credential_process');
  if (command !== undefined && !isSwroleProcessCommand(command, profile)) {
    throw refuse('has a credential_process of its own', 'remove that line first if the keys should come from the keyring instead');
  }
  if (!allowPlaintext && (Object.hasOwn(p.values, 'aws_access_key_id') || Object.hasOwn(p.values, 'aws_secret_access_key'))) {
    throw refuse(
      'has plaintext keys in the credentials or config file (they would win over the keyring for every AWS tool)',
      `move them with \`swrole keys import ${profile}\``,
    );
  }
}
