// The lock file format (src/platform/lock-record.ts): what waiters accept as a holder, and how they name it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeHolder, parseLockRecord, renderLockRecord, type LockRecord } from '../../src/platform/lock-record.js';

const record: LockRecord = {
  swroleLock: 1,
  pid: 4242,
  host: 'build-1',
  start: '123456',
  boot: 'ffb677a6-5b1a-4e68-b69f-b837f136847f',
  pidns: 'pid:[4026531836]',
  nonce: 'abc123',
  since: '2026-03-01T12:03:04.000Z',
  command: 'swrole login prod',
  doing: 'waiting for an MFA code at a terminal',
  person: true,
};

test('a rendered record parses back to itself (one line)', () => {
  const text = renderLockRecord(record);
  assert.equal(text.split('\n').length, 2);
  assert.deepEqual(parseLockRecord(text), record);
  const { start: _s, boot: _b, pidns: _p, ...portable } = record;
  assert.deepEqual(parseLockRecord(renderLockRecord(portable as LockRecord)), portable, 'macOS/Windows records have no start/boot/pidns');
});

const rejected: Array<[string, string]> = [
  ['empty', ''],
  ['not JSON', 'locked by 4242'],
  ['an array', '[1]'],
  ['another format', JSON.stringify({ ...record, swroleLock: 2 })],
  ['pid 0', JSON.stringify({ ...record, pid: 0 })],
  ['pid as a string', JSON.stringify({ ...record, pid: '4242' })],
  ['missing nonce', JSON.stringify({ ...record, nonce: undefined })],
  ['person not a boolean', JSON.stringify({ ...record, person: 'yes' })],
  ['start not a string', JSON.stringify({ ...record, start: 123456 })],
  ['an oversized field', JSON.stringify({ ...record, command: 'x'.repeat(301) })],
];
for (const [name, text] of rejected) {
  test(`parseLockRecord rejects ${name}`, () => assert.equal(parseLockRecord(text), undefined));
}

test('describeHolder: pid, command, activity, since (UTC) and how long ago; the host only when it is another', () => {
  const now = Date.parse('2026-03-01T12:04:39Z');
  assert.equal(
    describeHolder(record, now, 'build-1'),
    'pid 4242 (swrole login prod), waiting for an MFA code at a terminal since 12:03:04 UTC (95 s ago)',
  );
  assert.equal(
    describeHolder({ ...record, doing: 'obtaining credentials' }, now, 'laptop'),
    'pid 4242 (swrole login prod) on host build-1, obtaining credentials since 12:03:04 UTC (95 s ago)',
  );
  assert.match(describeHolder(record, Date.parse('2026-03-01T12:00:00Z'), 'build-1'), /\(0 s ago\)$/, 'a holder clock ahead of ours');
});
