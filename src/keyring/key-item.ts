/**
 * What swrole keeps per profile in a keyring (docs/reference/sso-keyring-console.md B.3): service `swrole`,
 * account `aws:<profile>`, and as the secret one JSON line
 * `{"v":1,"AccessKeyId","SecretAccessKey","CreatedAt","Source":"add|import|rotate","Rotation"?}`.
 * `Rotation` exists only while `swrole keys rotate` is under way, so that a killed rotation can be finished
 * (`--resume`): `created` holds the new key next to the old one still in use; `switched` names the old key still
 * to delete (its secret is gone by then). PURE.
 */
import { SwroleError } from '../errors.js';

export const KEYRING_SERVICE = 'swrole';

/** The item's account (Secret Service `username`, Keychain account, part of the Windows target name). */
export const itemAccount = (profile: string): string => `aws:${profile}`;

/** The profile of an item account, or undefined for an item that is not swrole's. */
export const profileOfAccount = (account: string): string | undefined => (account.startsWith('aws:') ? account.slice(4) : undefined);

export type KeySource = 'add' | 'import' | 'rotate';

export type PendingRotation =
  | { state: 'created'; userName: string; newAccessKeyId: string; newSecretAccessKey: string; startedAt: string }
  | { state: 'switched'; userName: string; oldAccessKeyId: string; startedAt: string };

export interface StoredKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** When this key was stored (ISO). */
  createdAt: string;
  source: KeySource;
  rotation?: PendingRotation;
}

/** IAM user keys are `AKIA` + 16 characters; temporary ones are `ASIA…` and never stored. */
const LONG_TERM_KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;
/** Secrets are 40 characters of base64; accept any printable run without whitespace. */
const SECRET = /^[\x21-\x7e]{16,128}$/;

/** Why a key id and secret cannot be stored, or undefined when they can. */
export function checkLongTermKey(accessKeyId: string, secretAccessKey: string): string | undefined {
  if (accessKeyId.startsWith('ASIA'))
    return `${accessKeyId.slice(0, 4)}… is a temporary key (it expires): only IAM user keys (AKIA…) are kept`;
  if (!LONG_TERM_KEY_ID.test(accessKeyId))
    return 'the access key id does not look like an IAM user key (AKIA followed by 16 letters and digits)';
  if (!SECRET.test(secretAccessKey)) return 'the secret access key must be 16–128 printable characters without spaces (40 for IAM keys)';
  return undefined;
}

export function renderKeyItem(key: StoredKey): string {
  const rotation = key.rotation;
  return JSON.stringify({
    v: 1,
    AccessKeyId: key.accessKeyId,
    SecretAccessKey: key.secretAccessKey,
    CreatedAt: key.createdAt,
    Source: key.source,
    ...(rotation === undefined
      ? {}
      : {
          Rotation:
            rotation.state === 'created'
              ? {
                  State: 'created',
                  UserName: rotation.userName,
                  NewAccessKeyId: rotation.newAccessKeyId,
                  NewSecretAccessKey: rotation.newSecretAccessKey,
                  StartedAt: rotation.startedAt,
                }
              : { State: 'switched', UserName: rotation.userName, OldAccessKeyId: rotation.oldAccessKeyId, StartedAt: rotation.startedAt },
        }),
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function parseRotation(value: unknown): PendingRotation | undefined | null {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return null;
  const userName = str(value.UserName);
  const startedAt = str(value.StartedAt) ?? '';
  if (userName === undefined) return null;
  if (value.State === 'created') {
    const newAccessKeyId = str(value.NewAccessKeyId);
    const newSecretAccessKey = str(value.NewSecretAccessKey);
    if (newAccessKeyId === undefined || newSecretAccessKey === undefined) return null;
    return { state: 'created', userName, newAccessKeyId, newSecretAccessKey, startedAt };
  }
  if (value.State === 'switched') {
    const oldAccessKeyId = str(value.OldAccessKeyId);
    if (oldAccessKeyId === undefined) return null;
    return { state: 'switched', userName, oldAccessKeyId, startedAt };
  }
  return null;
}

/** The item's secret text → a key; `where` names the item for the error (never its content). */
export function parseKeyItem(text: string, where: string): StoredKey {
  const invalid = (why: string) =>
    new SwroleError('E_KEYRING_ITEM_INVALID', `${where} is not a swrole key item (${why})`, {
      hint: 'it was written by another program or damaged: store the keys again with `swrole keys add PROFILE`',
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (!isRecord(value) || value.v !== 1) throw invalid('no "v": 1');
  const accessKeyId = str(value.AccessKeyId);
  const secretAccessKey = str(value.SecretAccessKey);
  if (accessKeyId === undefined || secretAccessKey === undefined) throw invalid('no AccessKeyId / SecretAccessKey');
  const source = value.Source === 'import' || value.Source === 'rotate' ? value.Source : 'add';
  const rotation = parseRotation(value.Rotation);
  if (rotation === null) throw invalid('an unreadable Rotation record');
  return { accessKeyId, secretAccessKey, createdAt: str(value.CreatedAt) ?? '', source, ...(rotation ? { rotation } : {}) };
}
