/**
 * A map from strings — or ranges of a big text, without slicing them — to small integers, keyed by a 64-bit hash
 * (two 32-bit multiplicative hashes) in one open-addressing Int32Array. Indexing 50,000 section names this way
 * costs a fraction of a Map of 50,000 strings, the most expensive part of reading a large config otherwise.
 * A hash is not the name: a caller confirms a found entry against the name itself.
 */
export interface HashTable64 {
  /** Stores `value` (≥ 0) under text[from, to) unless an entry with the same hash exists; returns that one's value, or -1. */
  addRange(text: string, from: number, to: number, value: number): number;
  /** The value stored under the hash of `key`, or -1. */
  get(key: string): number;
}

let hashA = 0;
let hashB = 0;

function hashRange(text: string, from: number, to: number): void {
  let a = 0x811c9dc5 | 0;
  let b = 0x050c5d1f | 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
  }
  // (0, 0) marks an empty slot.
  hashA = a === 0 && b === 0 ? 1 : a;
  hashB = b;
}

export function createHashTable64(expected = 0): HashTable64 {
  // Three Int32 per slot (hash a, hash b, value + 1), load kept under a half.
  let slots = 16;
  while (slots < expected * 2) slots *= 2;
  let table = new Int32Array(slots * 3);
  let count = 0;

  const find = (a: number, b: number): number => {
    const mask = table.length / 3 - 1;
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const i = slot * 3;
      if (table[i] === 0 && table[i + 1] === 0) return i;
      if (table[i] === a && table[i + 1] === b) return i;
    }
  };
  const grow = (): void => {
    const old = table;
    table = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 3) {
      const a = old[i] as number;
      const b = old[i + 1] as number;
      if (a === 0 && b === 0) continue;
      const j = find(a, b);
      table[j] = a;
      table[j + 1] = b;
      table[j + 2] = old[i + 2] as number;
    }
  };

  return {
    addRange(text, from, to, value) {
      if ((count + 1) * 2 > table.length / 3) grow();
      hashRange(text, from, to);
      const i = find(hashA, hashB);
      if (table[i + 2] !== 0) return (table[i + 2] as number) - 1;
      table[i] = hashA;
      table[i + 1] = hashB;
      table[i + 2] = value + 1;
      count++;
      return -1;
    },
    get(key) {
      hashRange(key, 0, key.length);
      const i = find(hashA, hashB);
      return (table[i + 2] as number) - 1;
    },
  };
}
