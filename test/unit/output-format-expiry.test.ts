// Issue 13: times shown to people are local, with the zone and what remains (`18:04 JST, 11h 59m left`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpiry, formatLocalTime } from '../../src/output/format-expiry.js';

const NOW = Date.parse('2026-11-26T09:04:00Z'); // 18:04 in Tokyo

test('formatExpiry: local time, zone, time left; another day carries its date', () => {
  const cases: Array<[string | undefined, string, string | undefined]> = [
    ['2026-11-26T21:03:00Z', '2026-11-27 06:03 JST, 11h 59m left', 'Asia/Tokyo'],
    ['2026-11-26T10:00:00Z', '19:00 JST, 56m left', 'Asia/Tokyo'],
    ['2026-11-26T10:00:00Z', '11:00 CET, 56m left', 'Europe/Berlin'],
    ['2026-11-26T10:00:00Z', '05:00 EST, 56m left', 'America/New_York'],
    ['2026-11-26T10:00:00Z', '10:00 UTC, 56m left', undefined],
    ['2026-11-26T10:00:00Z', '10:00 UTC, 56m left', 'Not/AZone'],
    ['2026-11-26T09:00:00Z', '18:00 JST, 0m left', 'Asia/Tokyo'],
    [undefined, 'no expiry', 'Asia/Tokyo'],
  ];
  for (const [expiration, expected, zone] of cases) assert.equal(formatExpiry(expiration, NOW, zone), expected, `${expiration} in ${zone}`);
});

test('formatLocalTime: a zone without a familiar abbreviation is still exact (GMT+5:30)', () => {
  assert.equal(formatLocalTime('2026-11-26T10:00:00Z', NOW, 'Asia/Kolkata'), '15:30 GMT+5:30');
  assert.equal(formatLocalTime('not a date', NOW, 'Asia/Tokyo'), 'not a date');
});
