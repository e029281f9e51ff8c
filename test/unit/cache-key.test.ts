import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheKey } from '../../src/cache/cache-key.js';
import { fastHash } from '../../src/platform/fast-hash.js';

test('cacheKey is the fast hash of the sorted-keys JSON', () => {
  const expected = fastHash('{"a":1,"b":{"c":[1,null],"d":"x"}}');
  assert.equal(cacheKey({ b: { d: 'x', c: [1, undefined] }, a: 1, skipped: undefined }), expected);
  assert.match(cacheKey({}), /^[0-9a-f]{64}$/);
});

test('cacheKey: key order does not matter, values do', () => {
  const base = { roleArn: 'arn:aws:iam::1:role/A', externalId: 'x', duration: 3600 };
  assert.equal(cacheKey(base), cacheKey({ duration: 3600, externalId: 'x', roleArn: 'arn:aws:iam::1:role/A' }));
  const variants = [
    { ...base, externalId: 'y' },
    { ...base, duration: '3600' },
    { ...base, policy: null },
    { roleArn: base.roleArn, externalId: 'x' },
    { ...base, nested: { a: 1 } },
    { ...base, nested: { a: '1' } },
  ];
  const keys = new Set([cacheKey(base), ...variants.map(cacheKey)]);
  assert.equal(keys.size, variants.length + 1);
});
