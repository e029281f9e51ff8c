/**
 * Reads one item of aws-vault's (and Granted's) encrypted-file backend, 99designs/keyring `file.go`
 * (docs/reference/sso-keyring-console.md B.5), with node:crypto alone: the file `<dir>/<key, with % and / as %XX>`
 * holds a JWE compact token, `alg` PBES2-HS256+A128KW (PBKDF2-SHA256 over `alg || 0x00 || p2s`, `p2c` rounds,
 * RFC 7518 §4.8), `enc` A256GCM with the protected header as additional data (RFC 7516 §5.2). The payload is the
 * JSON of keyring.Item, whose `Data` (base64) is aws-vault's credentials JSON
 * `{"AccessKeyID","SecretAccessKey","SessionToken",…}`. PURE apart from reading the file.
 */
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class AwsVaultFileError extends Error {
  constructor(
    readonly kind: 'missing' | 'format' | 'passphrase' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'AwsVaultFileError';
  }
}

/** mtibben/percent.Encode(key, "/"): `%` and `/` become %XX, everything else stays. */
export function awsVaultFileName(key: string): string {
  return key.replace(/[%/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const AES_KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
/** jose2go writes 8192 rounds; refuse absurd counts from a planted file. */
const MAX_P2C = 10_000_000;

/** Decrypts a JWE compact token made with a passphrase (PBES2-HS256+A128KW, A256GCM). */
export function decryptPbes2Jwe(token: string, passphrase: string): string {
  const parts = token.trim().split('.');
  if (parts.length !== 5) throw new AwsVaultFileError('format', 'not a JWE compact token (5 parts)');
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AwsVaultFileError('format', 'the JWE header is not JSON');
  }
  if (header.alg !== 'PBES2-HS256+A128KW' || header.enc !== 'A256GCM') {
    throw new AwsVaultFileError('format', `unsupported JWE alg/enc ${String(header.alg)}/${String(header.enc)}`);
  }
  const p2c = header.p2c;
  if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < 1 || p2c > MAX_P2C || typeof header.p2s !== 'string') {
    throw new AwsVaultFileError('format', 'bad PBES2 parameters (p2c, p2s)');
  }
  const salt = Buffer.concat([Buffer.from(header.alg, 'utf8'), Buffer.from([0]), Buffer.from(header.p2s, 'base64url')]);
  const kek = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, p2c, 16, 'sha256');
  let cek: Buffer;
  try {
    // AES key unwrap (RFC 3394) checks its integrity value: a wrong passphrase fails here.
    const unwrap = createDecipheriv('id-aes128-wrap', kek, AES_KW_IV);
    cek = Buffer.concat([unwrap.update(Buffer.from(encryptedKey, 'base64url')), unwrap.final()]);
  } catch {
    throw new AwsVaultFileError('passphrase', 'the passphrase does not unwrap its content key');
  }
  if (cek.length !== 32) throw new AwsVaultFileError('format', 'the content key is not 256 bits');
  try {
    const gcm = createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
    gcm.setAAD(Buffer.from(protectedHeader, 'ascii'));
    gcm.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([gcm.update(Buffer.from(ciphertext, 'base64url')), gcm.final()]).toString('utf8');
  } catch {
    throw new AwsVaultFileError('tampered', 'its content fails authentication');
  }
}

export interface AwsVaultKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
}

/** The credentials aws-vault keeps for `profile` in its file directory `dir`. */
export function readAwsVaultFileItem(dir: string, profile: string, passphrase: string): AwsVaultKeys {
  const path = join(dir, awsVaultFileName(profile));
  let token: string;
  try {
    token = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AwsVaultFileError('missing', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const payload = decryptPbes2Jwe(token, passphrase);
  let item: Record<string, unknown>;
  let data: Record<string, unknown>;
  try {
    item = JSON.parse(payload) as Record<string, unknown>;
    data = JSON.parse(Buffer.from(String(item.Data), 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AwsVaultFileError('format', 'its payload is not an aws-vault item (keyring.Item with credentials in Data)');
  }
  const accessKeyId = data.AccessKeyID;
  const secretAccessKey = data.SecretAccessKey;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') {
    throw new AwsVaultFileError('format', 'the item holds no AccessKeyID / SecretAccessKey');
  }
  const token2 = data.SessionToken;
  return { accessKeyId, secretAccessKey, sessionToken: typeof token2 === 'string' && token2 !== '' ? token2 : undefined };
}
