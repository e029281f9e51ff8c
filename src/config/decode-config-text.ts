/**
 * Bytes → text the way botocore reads the files (Python text mode, UTF-8): invalid UTF-8 is an error
 * (`UnicodeDecodeError` → ConfigParseError), reported with the line of the first bad byte.
 */
import { configParseError } from './parse-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeConfigText(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    const offset = firstInvalidUtf8(bytes);
    const error = configParseError(
      file,
      lineOfOffset(bytes, offset),
      `invalid UTF-8 at byte ${offset}`,
      'save the file as UTF-8 (the AWS CLI cannot read it either)',
    );
    error.cause = cause;
    throw error;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** 1-based line of a byte offset, counting universal newlines like Python. */
function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}
