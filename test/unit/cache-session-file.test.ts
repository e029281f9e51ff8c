import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFresh, parseStoredSession, renderStoredSession } from '../../src/cache/session-file.js';
import type { StoredSession } from '../../src/cache/types.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const session = (expiration?: string): StoredSession => ({
  version: 1,
  kind: 'role',
  profile: 'p',
  credentials: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', ...(expiration ? { expiration } : {}) },
  meta: { roleArn: 'arn:aws:iam::1:role/r', obtainedAt: NOW, chained: false, note: null },
});

test('render → parse round-trips', () => {
  const s = session('2026-01-01T01:00:00Z');
  assert.deepEqual(parseStoredSession(renderStoredSession(s)), s);
  assert.ok(renderStoredSession(s).endsWith('}\n'));
});

const rejected: Array<[string, string]> = [
  ['empty', ''],
  ['truncated', renderStoredSession(session('2026-01-01T01:00:00Z')).slice(0, 40)],
  ['not an object', '[1]'],
  ['other version', JSON.stringify({ ...session(), version: 2 })],
  ['unknown kind', JSON.stringify({ ...session(), kind: 'sso' })],
  ['botocore cache file', '{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S"}}'],
  ['missing secret', JSON.stringify({ ...session(), credentials: { accessKeyId: 'A' } })],
  ['bad expiration', JSON.stringify(session('tomorrow'))],
  ['object in meta', JSON.stringify({ ...session(), meta: { a: {} } })],
];
for (const [name, text] of rejected) {
  test(`parseStoredSession rejects ${name}`, () => assert.equal(parseStoredSession(text), undefined));
}

const windowMs = 5 * 60_000;
const fresh: Array<[string, string | undefined, number, boolean]> = [
  ['no expiry is a miss, not "never expires" (issue 15)', undefined, windowMs, false],
  ['1 h left', '2026-01-01T01:00:00Z', windowMs, true],
  ['5 min + 1 s left', '2026-01-01T00:05:01Z', windowMs, true],
  ['exactly 5 min left is a miss', '2026-01-01T00:05:00Z', windowMs, false],
  ['4 min left', '2026-01-01T00:04:00Z', windowMs, false],
  ['expired', '2025-12-31T23:00:00Z', windowMs, false],
  ['window 0 still keeps 60 s', '2026-01-01T00:00:59Z', 0, false],
  ['window 0, 61 s left', '2026-01-01T00:01:01Z', 0, true],
  ['+00:00 offset form', '2026-01-01T00:10:00+00:00', windowMs, true],
];
for (const [name, expiration, w, expected] of fresh) {
  test(`isFresh: ${name}`, () => assert.equal(isFresh(session(expiration), NOW, w), expected));
}
