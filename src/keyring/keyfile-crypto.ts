/**
 * swrole's encrypted key file (docs/reference/sso-keyring-console.md B.5), one per item, node:crypto only:
 * scrypt (N=2^15, r=8, p=1 by default; the parameters travel with the file) derives 64 bytes from the passphrase:
 * the first 32 are the AES-256-GCM key, the last 32 key an HMAC-SHA256 `check` of a fixed text. The check tells a
 * wrong passphrase (it differs) from a damaged or tampered file (it matches but GCM refuses the ciphertext). The
 * GCM additional data `swrole-keyfile:v1:<item name>` binds the content to its item, so files cannot be swapped.
 *
 *   {"v":1,"name":"aws:dev","kdf":"scrypt","N":32768,"r":8,"p":1,"salt":b64,"check":b64,"iv":b64,"ct":b64,"tag":b64}
 *
 * PURE apart from the CPU cost of scrypt (tens of milliseconds, 32 MiB).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** A file that is not ours, a wrong passphrase, or content that fails authentication. */
export class KeyfileError extends Error {
  constructor(
    readonly kind: 'format' | 'passphrase' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'KeyfileError';
  }
}

const CHECK_TEXT = 'swrole-keyfile:v1:check';
const aad = (name: string) => Buffer.from(`swrole-keyfile:v1:${name}`, 'utf8');

function derive(passphrase: string, salt: Buffer, params: ScryptParams): { key: Buffer; check: Buffer } {
  const bytes = scryptSync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, 64, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  });
  return { key: bytes.subarray(0, 32), check: createHmac('sha256', bytes.subarray(32)).update(CHECK_TEXT).digest() };
}

/** Encrypts `plaintext` as item `name`; returns the file's text (one JSON line with a newline). */
export function sealKeyfile(name: string, plaintext: string, passphrase: string, params: ScryptParams = DEFAULT_SCRYPT): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = derive(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(name));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return `${JSON.stringify({ v: 1, name, kdf: 'scrypt', ...params, salt: b64(salt), check: b64(check), iv: b64(iv), ct: b64(ct), tag: b64(cipher.getAuthTag()) })}\n`;
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;

/** The file's fields, validated (bounded scrypt cost: a planted file must not make swrole spin or eat memory). */
function parseKeyfile(text: string): {
  name: string;
  params: ScryptParams;
  salt: Buffer;
  check: Buffer;
  iv: Buffer;
  ct: Buffer;
  tag: Buffer;
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyfileError('format', 'not JSON');
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (v.v !== 1 || v.kdf !== 'scrypt') throw new KeyfileError('format', 'not a swrole key file (v 1, scrypt)');
  const { N, r, p } = v;
  if (typeof N !== 'number' || !isPowerOfTwo(N) || N > 2 ** 20) throw new KeyfileError('format', 'scrypt N out of range');
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 32) throw new KeyfileError('format', 'scrypt r out of range');
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 16) throw new KeyfileError('format', 'scrypt p out of range');
  const bytes = (field: string, length?: number): Buffer => {
    const raw = v[field];
    const buffer = typeof raw === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : undefined;
    if (buffer === undefined || (length !== undefined && buffer.length !== length)) throw new KeyfileError('format', `bad "${field}"`);
    return buffer;
  };
  if (typeof v.name !== 'string') throw new KeyfileError('format', 'no "name"');
  return {
    name: v.name,
    params: { N, r, p },
    salt: bytes('salt'),
    check: bytes('check', 32),
    iv: bytes('iv', 12),
    ct: bytes('ct'),
    tag: bytes('tag', 16),
  };
}

/** The name a key file says it holds (no passphrase needed: names are not secret). */
export function keyfileName(text: string): string {
  return parseKeyfile(text).name;
}

/** Decrypts a key file of item `name`. */
export function openKeyfile(name: string, text: string, passphrase: string): string {
  const file = parseKeyfile(text);
  if (file.name !== name) throw new KeyfileError('tampered', `the file holds item "${file.name}", not "${name}"`);
  const { key, check } = derive(passphrase, file.salt, file.params);
  if (!timingSafeEqual(check, file.check)) throw new KeyfileError('passphrase', 'the passphrase does not open it');
  const decipher = createDecipheriv('aes-256-gcm', key, file.iv);
  decipher.setAAD(aad(name));
  decipher.setAuthTag(file.tag);
  try {
    return Buffer.concat([decipher.update(file.ct), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyfileError('tampered', 'its content fails authentication (changed after it was written)');
  }
}
