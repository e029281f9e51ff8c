/**
 * MurmurHash3 x86_128 (Austin Appleby, public domain), run twice with different seeds for 256 bits.
 * Why not node:crypto: loading it costs ~4 ms per process, a third of the cache-hit budget (bench/), and these
 * hashes only name cache files inside a private 0700 directory; they guard nothing. UTF-8 input.
 */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function murmur128(bytes: Uint8Array, seed: number): [number, number, number, number] {
  let h1 = seed;
  let h2 = seed;
  let h3 = seed;
  let h4 = seed;
  const blocks = bytes.length >>> 4;
  const word = (i: number) => bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
  for (let b = 0; b < blocks; b++) {
    const i = b * 16;
    let k1 = word(i);
    let k2 = word(i + 4);
    let k3 = word(i + 8);
    let k4 = word(i + 12);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const tail = blocks * 16;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  for (let j = (bytes.length & 15) - 1; j >= 0; j--) {
    const byte = bytes[tail + j]!;
    if (j >= 12) k4 |= byte << ((j - 12) * 8);
    else if (j >= 8) k3 |= byte << ((j - 8) * 8);
    else if (j >= 4) k2 |= byte << ((j - 4) * 8);
    else k1 |= byte << (j * 8);
  }
  if (k4) h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  if (k3) h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  if (k2) h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  if (k1) h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  const len = bytes.length;
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** 64 hex characters: MurmurHash3 x86_128 of the UTF-8 text under two seeds. */
export function fastHash(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return [...murmur128(bytes, 0), ...murmur128(bytes, 0x9747b28c)].map((n) => n.toString(16).padStart(8, '0')).join('');
}
