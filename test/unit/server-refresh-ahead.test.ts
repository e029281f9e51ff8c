// C8/C9 (unit): the credential server's refresh-ahead, on a fake clock with a fake upstream: when it refreshes,
// that concurrent requests share one refresh, what is served while the upstream fails, and that a 503 does not wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRefreshAhead,
  MIN_SERVE_MS,
  refreshLeadMs,
  toHeld,
  type Failure,
  type Held,
  type Issued,
} from '../../src/server/refresh-ahead.js';
import type { Credentials } from '../../src/domain/credentials.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function creds(id: string, expiresAtMs: number): Credentials {
  return { accessKeyId: id, secretAccessKey: 's', sessionToken: 't', expiration: new Date(expiresAtMs).toISOString() };
}

function fixture(lifetimeMs = 15 * MIN) {
  let now = T0;
  const calls: Array<Held | undefined> = [];
  let next: () => Promise<Issued> = async () => {
    const id = `KEY${calls.length}`;
    return { credentials: creds(id, now + lifetimeMs), issuedAtMs: now };
  };
  const needsHuman: Failure = { status: 503, code: 'CredentialsUnavailable', message: 'swrole: run swrole login app', needsHuman: true };
  const server = createRefreshAhead(
    { credentials: creds('KEY-INITIAL', T0 + lifetimeMs), issuedAtMs: T0 },
    {
      now: () => now,
      obtain: (replacing) => {
        calls.push(replacing);
        return next();
      },
      describe: () => needsHuman,
      waitMs: 200,
    },
  );
  return {
    server,
    calls,
    advance: (ms: number) => void (now += ms),
    setNext: (f: () => Promise<Issued>) => void (next = f),
    now: () => now,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test('refresh lead (C.2): 20 min before expiry; half the lifetime for sessions under 40 min', () => {
  const table: Array<[number, number]> = [
    [15 * MIN, 7.5 * MIN],
    [30 * MIN, 15 * MIN],
    [39 * MIN, 19.5 * MIN],
    [40 * MIN, 20 * MIN],
    [60 * MIN, 20 * MIN],
    [12 * 60 * MIN, 20 * MIN],
    [0, 0],
  ];
  for (const [lifetime, lead] of table) assert.equal(refreshLeadMs(lifetime), lead, `lifetime ${lifetime / MIN} min`);
  const held = toHeld({ credentials: creds('A', T0 + 60 * MIN), issuedAtMs: T0 }, T0 + 10 * MIN);
  assert.equal(held.refreshAtMs, T0 + 40 * MIN);
  // Unknown issue time: the lifetime counts from now (a cached session found half used is refreshed at half what is left).
  assert.equal(toHeld({ credentials: creds('B', T0 + 16 * MIN) }, T0).refreshAtMs, T0 + 8 * MIN);
  // No expiry (static session keys): served as expiring 1 h after they were fetched.
  const noExpiry = toHeld({ credentials: { accessKeyId: 'C', secretAccessKey: 's', sessionToken: 't' } }, T0);
  assert.equal(noExpiry.expiresAtMs, T0 + 60 * MIN);
});

test('C8 refresh-ahead: served from memory before the refresh point, with no upstream call', async () => {
  const f = fixture();
  for (let i = 0; i < 5; i++) {
    const a = await f.server.answer();
    assert.ok(a.ok && a.held.credentials.accessKeyId === 'KEY-INITIAL');
    f.advance(MIN);
  }
  await settle();
  assert.equal(f.calls.length, 0);
  f.server.close();
});

test('C8 refresh-ahead: 50 concurrent requests at the refresh point → one refresh; all answered at once with the held key', async () => {
  const f = fixture();
  f.advance(7.5 * MIN);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  f.setNext(async () => {
    await gate;
    return { credentials: creds('KEY-NEW', f.now() + 15 * MIN), issuedAtMs: f.now() };
  });
  const answers = await Promise.all(Array.from({ length: 50 }, () => f.server.answer()));
  assert.ok(
    answers.every((a) => a.ok && a.held.credentials.accessKeyId === 'KEY-INITIAL'),
    'answered from memory meanwhile',
  );
  await settle();
  assert.equal(f.calls.length, 1);
  assert.equal(f.calls[0]?.credentials.accessKeyId, 'KEY-INITIAL', 'the refresh names what it replaces');
  release();
  await settle();
  const after = await f.server.answer();
  assert.ok(after.ok && after.held.credentials.accessKeyId === 'KEY-NEW');
  assert.equal(f.calls.length, 1);
  f.server.close();
});

test('C9 refresh-ahead: an upstream that needs a person → the held key until it expires, then 503 at once, then recovery', async () => {
  const f = fixture();
  f.setNext(() => Promise.reject(new Error('MFA needed')));
  f.advance(8 * MIN);
  const during = await f.server.answer();
  assert.ok(during.ok && during.held.credentials.accessKeyId === 'KEY-INITIAL');
  await settle();
  assert.equal(f.calls.length, 1);
  // Within the retry delay (5 s for a person): no new attempt.
  f.advance(2_000);
  await f.server.answer();
  await settle();
  assert.equal(f.calls.length, 1);
  // Too close to expiry to serve: a 503 with the message, without waiting.
  f.advance(15 * MIN - 8 * MIN - 2_000 - MIN_SERVE_MS + 1);
  // "Without waiting": answered before the event loop turns once more (no timer, no upstream call awaited).
  const refused = await Promise.race([f.server.answer(), new Promise<'waited'>((resolve) => setImmediate(() => resolve('waited')))]);
  assert.ok(refused !== 'waited', 'the 503 waited for something');
  assert.ok(!refused.ok);
  assert.equal(refused.status, 503);
  assert.match(refused.message, /swrole login app/);
  // The person logged in: the next attempt succeeds and is served.
  f.setNext(async () => ({ credentials: creds('KEY-AFTER-LOGIN', f.now() + 15 * MIN), issuedAtMs: f.now() }));
  f.advance(5_000);
  const recovered = await f.server.answer();
  assert.ok(recovered.ok, JSON.stringify(recovered));
  assert.equal(recovered.held.credentials.accessKeyId, 'KEY-AFTER-LOGIN');
  f.server.close();
});

test('refresh-ahead: nothing valid held → a request waits (at most waitMs) for the refresh it starts', async () => {
  const f = fixture();
  f.advance(15 * MIN);
  f.setNext(async () => ({ credentials: creds('KEY-NEXT', f.now() + 15 * MIN), issuedAtMs: f.now() }));
  const a = await f.server.answer();
  assert.ok(a.ok && a.held.credentials.accessKeyId === 'KEY-NEXT');
  f.setNext(() => new Promise(() => {}));
  f.advance(15 * MIN);
  // A refresh that never ends: the request waits waitMs (200) for it, then answers 503 (a hang would hit the timeout).
  const started = performance.now();
  const slow = await f.server.answer();
  assert.ok(!slow.ok && slow.status === 503 && /retry/.test(slow.message));
  assert.ok(performance.now() - started >= 190, 'it waited for the refresh it started');
  f.server.close();
});

test('refresh-ahead: an upstream whose credentials are already inside their lead is asked at most once per 5 s', async () => {
  const f = fixture();
  // Always a session issued 50 min ago, 10 min left: its refresh point is already past.
  f.setNext(async () => ({ credentials: creds(`KEY-OLD-${f.calls.length}`, f.now() + 10 * MIN), issuedAtMs: f.now() - 50 * MIN }));
  f.advance(8 * MIN);
  for (let i = 0; i < 20; i++) {
    await f.server.answer();
    await settle();
  }
  assert.equal(f.calls.length, 1);
  f.advance(5_000);
  await f.server.answer();
  await settle();
  assert.equal(f.calls.length, 2);
  f.server.close();
});
