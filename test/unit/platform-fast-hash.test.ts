import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastHash } from '../../src/platform/fast-hash.js';

// Published MurmurHash3_x86_128 values (seed 0) are the first 32 hex digits of fastHash.
const VECTORS: Array<[string, string]> = [
  ['', '00000000000000000000000000000000'],
  ['The quick brown fox jumps over the lazy dog', '2f1583c3ecee2c675d7bf66ce5e91d2c'],
];

test('fastHash: MurmurHash3 x86_128 test vectors (first seed)', () => {
  for (const [input, expected] of VECTORS) assert.equal(fastHash(input).slice(0, 32), expected, JSON.stringify(input));
});

test('fastHash: 64 hex digits, stable, UTF-8, every tail length', () => {
  for (let n = 0; n < 40; n++) {
    const text = 'ü'.repeat(n % 3) + 'x'.repeat(n);
    assert.match(fastHash(text), /^[0-9a-f]{64}$/);
    assert.equal(fastHash(text), fastHash(`${text}`));
  }
  assert.notEqual(fastHash('é'), fastHash('e\u0301'));
});

test('fastHash: no collisions across 20,000 near-identical keys', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) seen.add(fastHash(`{"roleArn":"arn:aws:iam::1:role/R${i}","duration":${i % 7}}`));
  assert.equal(seen.size, 20_000);
});
