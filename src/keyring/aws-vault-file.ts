/**
 * Reads aws-vault's "file" keyring (99designs/keyring `file.go`; docs/reference/sso-keyring-console.md B.5) so that
 * `swrole keys import P --from-aws-vault-file DIR` can take a key out of it. node:crypto only.
 *
 * - One file per item in DIR (aws-vault's default `~/.awsvault/keys/`), named after the item's key with `%` and `/`
 *   percent-encoded (github.com/mtibben/percent).
 * - The content is a JWE in compact serialization (RFC 7516) as jose2go writes it: header
 *   `{"alg":"PBES2-HS256+A128KW","created":…,"enc":"A256GCM","p2c":8192,"p2s":…}`; the key-encryption key is
 *   PBKDF2-HMAC-SHA256(passphrase, alg ‖ 0x00 ‖ p2s, p2c) (RFC 7518 §4.8), which unwraps (AES key wrap, RFC 3394)
 *   the content key; AES-GCM with the header's base64url text as additional data.
 * - The plaintext is a `keyring.Item` `{"Key","Data"(base64),"Label",…}`; aws-vault's credentials items hold the
 *   Go `aws.Credentials` JSON `{"AccessKeyID","SecretAccessKey","SessionToken",…}` under the profile's name.
 * - Its sessions live in the same directory under names like `sts.GetSessionToken,<b64url profile>,<b64url
 *   serial>,<unix expiry>` (vault/sessionkeyring.go; older shapes too) and `oidc:<start URL>`: those are not keys.
 *
 * The unwrap's integrity check tells a wrong passphrase; a GCM failure after a good unwrap is a damaged file.
 */
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export class AwsVaultFileError extends Error {
  constructor(
    readonly kind: 'format' | 'passphrase' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'AwsVaultFileError';
  }
}

/** Session and SSO-token items of aws-vault (current and older key shapes): never long-term keys. */
const SESSION_ITEM = [
  /^[^,]+,[^,]+,[^,]*,[0-9]{1,}$/,
  /^session,[^,]+,[^,]*,[0-9]{2,}$/,
  /^session:[^ ]+:[^ ]*:[^:]+$/,
  /^(.+?) session \((\d+)\)$/,
  /^oidc:/,
];

export const isAwsVaultSessionItem = (name: string): boolean => SESSION_ITEM.some((re) => re.test(name));

/** `a%2Fb` → `a/b` (mtibben/percent: `%XX` for every encoded byte); undefined for a name that does not decode. */
export function decodeAwsVaultFileName(name: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(name)) return undefined;
  const bytes: number[] = [];
  const raw = Buffer.from(name, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25) {
      bytes.push(parseInt(raw.subarray(i + 1, i + 3).toString('ascii'), 16));
      i += 2;
    } else bytes.push(raw[i]!);
  }
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

export interface AwsVaultItems {
  /** Credentials items: item name → file path. */
  credentials: Map<string, string>;
  /** How many session / SSO token items were skipped. */
  sessions: number;
}

/** The items of aws-vault's file keyring in `dir` (names only: they are not encrypted). */
export function listAwsVaultItems(dir: string): AwsVaultItems {
  const credentials = new Map<string, string>();
  let sessions = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = decodeAwsVaultFileName(entry.name);
    if (name === undefined) continue;
    if (isAwsVaultSessionItem(name)) sessions++;
    else credentials.set(name, join(dir, entry.name));
  }
  return { credentials, sessions };
}

const ALGS: Record<string, { hash: string; kekBytes: number; wrap: string }> = {
  'PBES2-HS256+A128KW': { hash: 'sha256', kekBytes: 16, wrap: 'id-aes128-wrap' },
  'PBES2-HS384+A192KW': { hash: 'sha384', kekBytes: 24, wrap: 'id-aes192-wrap' },
  'PBES2-HS512+A256KW': { hash: 'sha512', kekBytes: 32, wrap: 'id-aes256-wrap' },
};
const ENCS: Record<string, { cekBytes: number; cipher: 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' }> = {
  A128GCM: { cekBytes: 16, cipher: 'aes-128-gcm' },
  A192GCM: { cekBytes: 24, cipher: 'aes-192-gcm' },
  A256GCM: { cekBytes: 32, cipher: 'aes-256-gcm' },
};
/** jose2go's own upper bound for PBES2-HS256 (a planted file must not make swrole spin). */
const MAX_P2C = 1_300_000;
const KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

function b64url(part: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new AwsVaultFileError('format', `bad base64url in the ${what}`);
  return Buffer.from(part, 'base64url');
}

/** Decrypts one JWE (compact) made with a passphrase; returns the plaintext. */
export function decryptPassphraseJwe(token: string, passphrase: string): string {
  const parts = token.trim().split('.');
  if (parts.length !== 5) throw new AwsVaultFileError('format', 'not a JWE in compact serialization');
  const [headerPart, ekPart, ivPart, ctPart, tagPart] = parts as [string, string, string, string, string];
  let header: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(b64url(headerPart, 'header').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    header = parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof AwsVaultFileError) throw error;
    throw new AwsVaultFileError('format', 'its JWE header is not a JSON object');
  }
  const alg = typeof header.alg === 'string' && Object.hasOwn(ALGS, header.alg) ? ALGS[header.alg] : undefined;
  const enc = typeof header.enc === 'string' && Object.hasOwn(ENCS, header.enc) ? ENCS[header.enc] : undefined;
  if (alg === undefined)
    throw new AwsVaultFileError('format', `key management "${String(header.alg)}" is not PBES2 (aws-vault uses PBES2-HS256+A128KW)`);
  if (enc === undefined)
    throw new AwsVaultFileError('format', `content encryption "${String(header.enc)}" is not AES-GCM (aws-vault uses A256GCM)`);
  if (header.zip !== undefined) throw new AwsVaultFileError('format', 'compressed content (zip) is not supported');
  const p2c = header.p2c;
  if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < 1 || p2c > MAX_P2C)
    throw new AwsVaultFileError('format', `p2c must be an iteration count from 1 to ${MAX_P2C}`);
  if (typeof header.p2s !== 'string') throw new AwsVaultFileError('format', 'no p2s (salt) in the header');
  const p2s = b64url(header.p2s, 'p2s');
  if (p2s.length < 8) throw new AwsVaultFileError('format', 'p2s (salt) shorter than 8 bytes');
  const encryptedKey = b64url(ekPart, 'encrypted key');
  const iv = b64url(ivPart, 'iv');
  const ct = b64url(ctPart, 'ciphertext');
  const tag = b64url(tagPart, 'tag');
  if (encryptedKey.length !== enc.cekBytes + 8) throw new AwsVaultFileError('format', 'the encrypted key has the wrong length');
  if (iv.length !== 12 || tag.length !== 16) throw new AwsVaultFileError('format', 'the iv or tag has the wrong length');
  const salt = Buffer.concat([Buffer.from(header.alg as string, 'utf8'), Buffer.from([0]), p2s]);
  const kek = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, p2c, alg.kekBytes, alg.hash);
  let cek: Buffer;
  try {
    const unwrap = createDecipheriv(alg.wrap, kek, KW_IV);
    cek = Buffer.concat([unwrap.update(encryptedKey), unwrap.final()]);
  } catch {
    throw new AwsVaultFileError('passphrase', 'the passphrase does not open it (its content key does not unwrap)');
  }
  try {
    const decipher = createDecipheriv(enc.cipher, cek, iv);
    decipher.setAAD(Buffer.from(headerPart, 'ascii'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    throw new AwsVaultFileError('tampered', 'its content fails authentication (changed after it was written)');
  }
}

export interface AwsVaultKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** aws-vault keeps only long-term keys here, but an item may say otherwise. */
  sessionToken: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The access key in aws-vault's credentials item `name`, from the file's text. */
export function openAwsVaultItem(name: string, text: string, passphrase: string): AwsVaultKey {
  const plain = decryptPassphraseJwe(text, passphrase);
  let item: unknown;
  try {
    item = JSON.parse(plain);
  } catch {
    throw new AwsVaultFileError('format', 'the decrypted item is not JSON');
  }
  if (!isRecord(item) || typeof item.Key !== 'string' || typeof item.Data !== 'string')
    throw new AwsVaultFileError('format', 'the decrypted item has no Key and Data');
  if (item.Key !== name) throw new AwsVaultFileError('tampered', `the file holds item "${item.Key}", not "${name}"`);
  let creds: unknown;
  try {
    creds = JSON.parse(Buffer.from(item.Data, 'base64').toString('utf8'));
  } catch {
    throw new AwsVaultFileError('format', 'its Data is not the JSON of AWS credentials');
  }
  if (!isRecord(creds) || typeof creds.AccessKeyID !== 'string' || typeof creds.SecretAccessKey !== 'string')
    throw new AwsVaultFileError('format', 'its Data has no AccessKeyID and SecretAccessKey');
  return {
    accessKeyId: creds.AccessKeyID,
    secretAccessKey: creds.SecretAccessKey,
    sessionToken: typeof creds.SessionToken === 'string' ? creds.SessionToken : '',
  };
}

/** Reads and decrypts the credentials item of `name` at `path`. */
export function readAwsVaultItem(name: string, path: string, passphrase: string): AwsVaultKey {
  return openAwsVaultItem(name, readFileSync(path, 'utf8'), passphrase);
}
