// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s steps) over RFC 4648 base32 secrets: what virtual MFA
// devices registered in IAM compute.
import { createHmac } from 'node:crypto';

/** RFC 4648 base32 alphabet (also spells the emulator's fake key and principal ids). */
export const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const TOTP_STEP_SECONDS = 30;

export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = BASE32_ALPHABET.indexOf(ch);
    if (index < 0) throw new Error('invalid base32 character in TOTP secret');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** HOTP value for a raw key and counter (RFC 4226 §5.3), `digits` long. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

export function totpStep(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

/** The current 6-digit code of a base32 secret at `timeMs`. */
export function totp(base32Secret: string, timeMs: number): string {
  return hotp(decodeBase32(base32Secret), totpStep(timeMs));
}

/** The step (±1 around `timeMs`) whose code equals `code`, or null. */
export function matchTotpStep(base32Secret: string, code: string, timeMs: number): number | null {
  const key = decodeBase32(base32Secret);
  const now = totpStep(timeMs);
  for (const step of [now, now - 1, now + 1]) if (hotp(key, step) === code) return step;
  return null;
}
