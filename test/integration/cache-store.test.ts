// The session store on real temp directories, with a fake clock.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cacheKey } from '../../src/cache/cache-key.js';
import { createSessionStore, type SessionStoreOptions } from '../../src/cache/session-store.js';
import type { StoredSession } from '../../src/cache/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { bundleHelper } from '../helpers/bundle-helper.js';

const root = mkdtempSync(join(tmpdir(), 'swrole-cache-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-01T12:00:00Z');
let n = 0;

function setup(extra: Partial<SessionStoreOptions> = {}) {
  const dir = join(root, `case-${++n}`, 'sessions');
  const clock = { now: T0 };
  const warnings: string[] = [];
  const store = createSessionStore({ dir, now: () => clock.now, warn: (m) => warnings.push(m), pid: process.pid, ...extra });
  return { dir, clock, warnings, store };
}

function session(expiresInMs: number | undefined, secret = 'SECRET'): StoredSession {
  return {
    version: 1,
    kind: 'role',
    profile: 'prod admin',
    credentials: {
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: secret,
      sessionToken: 'TOKEN',
      ...(expiresInMs === undefined ? {} : { expiration: new Date(T0 + expiresInMs).toISOString() }),
    },
    meta: { roleArn: 'arn:aws:iam::111111111111:role/admin', obtainedAt: T0 },
  };
}

test('miss → fetch once → hit; files 0600 in a 0700 dir; no temp or lock left behind', async () => {
  const { dir, store } = setup();
  const key = cacheKey({ roleArn: 'a' });
  let fetches = 0;
  const first = await store.obtain(key, async () => (fetches++, session(3600_000)));
  const second = await store.obtain(key, async () => (fetches++, session(3600_000, 'OTHER')));
  assert.equal(fetches, 1);
  assert.deepEqual([first.hit, second.hit], [false, true]);
  assert.deepEqual(second.session, first.session);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, `${key}.json`)).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), [`${key}.json`]);
});

test('the refresh window: hit while more than 5 min remain, refetch after', async () => {
  const { clock, store } = setup();
  const key = cacheKey({ roleArn: 'w' });
  await store.obtain(key, async () => session(3600_000, 'OLD'));
  clock.now = T0 + 3600_000 - 5 * 60_000 - 1000;
  assert.equal(store.read(key)?.credentials.secretAccessKey, 'OLD');
  clock.now = T0 + 3600_000 - 5 * 60_000;
  assert.equal(store.read(key), undefined);
  assert.equal(store.readAny(key)?.credentials.secretAccessKey, 'OLD', 'readAny ignores the window');
  const renewed = await store.obtain(key, async () => session(7200_000, 'NEW'));
  assert.equal(renewed.hit, false);
  assert.equal(store.read(key)?.credentials.secretAccessKey, 'NEW');
});
test('a session without an expiry is a miss, not "never expires", and is never written (issue 15)', async () => {
  const { dir, store } = setup();
  const key = cacheKey({ noExpiry: 1 });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${key}.json`), JSON.stringify(session(undefined, 'PLANTED')), { mode: 0o600 });
  assert.equal(store.read(key), undefined);
  assert.equal(store.readAny(key)?.credentials.secretAccessKey, 'PLANTED', 'readAny still shows it (logout/list)');
  let fetches = 0;
  const got = await store.obtain(key, async () => (fetches++, session(undefined, 'STATIC')));
  assert.deepEqual([got.hit, got.session.credentials.secretAccessKey, fetches], [false, 'STATIC', 1]);
  assert.equal(store.readAny(key)?.credentials.secretAccessKey, 'PLANTED', 'an expiry-less session is not cached');
  await store.obtain(key, async () => (fetches++, session(undefined, 'STATIC')));
  assert.equal(fetches, 2, 'so the next call fetches again');
});

test('custom window, and never within 60 s even with window 0', async () => {
  const { clock, store } = setup({ refreshWindowMs: 0 });
  const key = cacheKey({ w: 0 });
  await store.obtain(key, async () => session(120_000));
  clock.now = T0 + 59_000;
  assert.ok(store.read(key));
  clock.now = T0 + 61_000;
  assert.equal(store.read(key), undefined);
});

test('corrupt, truncated, foreign, wrong-version or directory entries are misses, never throws', async () => {
  const { dir, store } = setup();
  mkdirSync(dir, { recursive: true });
  const bodies = ['', '{"version":1,', 'null', '{"Credentials":{}}', JSON.stringify({ ...session(3600_000), version: 2 })];
  for (const [i, body] of bodies.entries()) {
    const key = cacheKey({ corrupt: i });
    writeFileSync(join(dir, `${key}.json`), body, { mode: 0o600 });
    assert.equal(store.read(key), undefined);
    assert.equal(store.readAny(key), undefined);
    const got = await store.obtain(key, async () => session(3600_000, `fresh-${i}`));
    assert.equal(got.hit, false);
    assert.equal(store.read(key)?.credentials.secretAccessKey, `fresh-${i}`, 'the bad file is replaced');
  }
  mkdirSync(join(dir, `${cacheKey({ dir: 1 })}.json`));
  assert.equal(store.read(cacheKey({ dir: 1 })), undefined);
  assert.equal(store.read(cacheKey({ absent: 1 })), undefined);
});

test('a session file that is a symlink is neither read nor followed on write', async () => {
  const { dir, store } = setup();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const victim = join(root, `victim-${n}`);
  writeFileSync(victim, JSON.stringify(session(3600_000, 'PLANTED')));
  const key = cacheKey({ link: 1 });
  symlinkSync(victim, join(dir, `${key}.json`));
  assert.equal(store.read(key), undefined);
  await store.obtain(key, async () => session(3600_000, 'REAL'));
  assert.match(readFileSync(victim, 'utf8'), /PLANTED/, 'the symlink target was not written through');
  assert.equal(store.read(key)?.credentials.secretAccessKey, 'REAL');
});

test('loose modes are tightened once, with one warning each', async () => {
  const { dir, store, warnings } = setup();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  const key = cacheKey({ modes: 1 });
  await store.obtain(key, async () => session(3600_000));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  chmodSync(join(dir, `${key}.json`), 0o644);
  assert.ok(store.read(key));
  assert.equal(statSync(join(dir, `${key}.json`)).mode & 0o777, 0o600);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /0700/);
  assert.match(warnings[1] ?? '', /0600/);
});

test('unwritable cache dir: credentials still returned, one warning naming SWROLE_HOME, nothing thrown', async () => {
  // We may run as root (EACCES would not apply), so use paths no user can create: below a regular file, and /proc.
  const file = join(root, 'a-file');
  writeFileSync(file, '');
  for (const dir of [join(file, 'sessions'), '/proc/swrole-no-such-dir/sessions']) {
    const warnings: string[] = [];
    const store = createSessionStore({ dir, now: () => T0, warn: (m) => warnings.push(m), pid: process.pid });
    const key = cacheKey({ unwritable: dir });
    let fetches = 0;
    const a = await store.obtain(key, async () => (fetches++, session(3600_000)));
    const b = await store.obtain(key, async () => (fetches++, session(3600_000)));
    assert.equal(a.session.credentials.secretAccessKey, 'SECRET');
    assert.deepEqual([a.hit, b.hit, fetches], [false, false, 2]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /SWROLE_HOME/);
    assert.doesNotMatch(warnings[0] ?? '', /SECRET/);
    assert.deepEqual(store.list(), []);
    assert.equal(store.clear(), 0);
  }
});

test('list, remove, clear', async () => {
  const { dir, store } = setup();
  const keys = [cacheKey({ l: 1 }), cacheKey({ l: 2 }), cacheKey({ l: 3 })];
  for (const key of keys) await store.obtain(key, async () => session(3600_000));
  writeFileSync(join(dir, 'notes.json'), '{}');
  writeFileSync(join(dir, `.${keys[0]}.json.abc0.tmp`), 'partial');
  assert.deepEqual(
    store.list().map((e) => e.key),
    [...keys].sort(),
  );
  store.remove(keys[0] ?? '');
  store.remove(keys[0] ?? '');
  assert.equal(store.list().length, 2);
  assert.equal(store.clear(), 2);
  assert.deepEqual(readdirSync(dir), ['notes.json'], 'files that are not ours are left alone');
  assert.throws(() => store.read('../etc/passwd'), { code: 'E_CACHE_KEY' });
});

test('a failing fetch releases the lock and caches nothing', async () => {
  const { dir, store } = setup();
  const key = cacheKey({ fails: 1 });
  await assert.rejects(
    store.obtain(key, async () => Promise.reject(new Error('AccessDenied'))),
    /AccessDenied/,
  );
  const ok = await store.obtain(key, async () => session(3600_000));
  assert.equal(ok.hit, false);
  assert.deepEqual(readdirSync(dir), [`${key}.json`]);
});

test('replace (login --force): the cached session stays, and is served, until the new one is stored', async () => {
  const { store } = setup();
  const key = cacheKey({ replace: 1 });
  await store.obtain(key, async () => session(3600_000, 'OLD'));
  for (const failure of ['E_MFA_CODE_FORMAT', 'E_MFA_CODE_INVALID', 'E_STS_UNAVAILABLE']) {
    await assert.rejects(
      store.obtain(key, async () => Promise.reject(new Error(failure)), { replace: true }),
      new RegExp(failure),
    );
    assert.equal(store.read(key)?.credentials.secretAccessKey, 'OLD', `${failure}: the old session is still served`);
  }
  const renewed = await store.obtain(key, async () => session(7200_000, 'NEW'), { replace: true });
  assert.deepEqual([renewed.hit, renewed.session.credentials.secretAccessKey], [false, 'NEW']);
  assert.equal(store.read(key)?.credentials.secretAccessKey, 'NEW');
});

test('replace takes a session another process stored while it waited, instead of fetching a second one', async () => {
  const { store } = setup();
  const key = cacheKey({ replace: 2 });
  await store.obtain(key, async () => session(3600_000, 'OLD'));
  let release!: () => void;
  const gate = new Promise<void>((done) => (release = done));
  let fetches = 0;
  const first = store.obtain(key, async () => (fetches++, await gate, session(7200_000, 'FIRST')), { replace: true });
  await waitFor(() => fetches === 1, 'the first caller holds the lock and fetches');
  const second = store.obtain(key, async () => (fetches++, session(7200_000, 'SECOND')), { replace: true });
  await new Promise((done) => setTimeout(done, 100));
  release();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(fetches, 1);
  assert.deepEqual([a.hit, b.hit, b.session.credentials.secretAccessKey], [false, true, 'FIRST']);
});

test('the lock record tells waiters what the holder does (setLockActivity), and goes with the holder', async () => {
  const { dir, store } = setup();
  const key = cacheKey({ activity: 1 });
  const lockPath = join(dir, `${key}.lock`);
  const seen: unknown[] = [];
  await store.obtain(key, async () => {
    seen.push(JSON.parse(readFileSync(lockPath, 'utf8')));
    store.setLockActivity({ doing: 'waiting for an MFA code at a terminal', person: true });
    seen.push(JSON.parse(readFileSync(lockPath, 'utf8')));
    store.setLockActivity(undefined);
    seen.push(JSON.parse(readFileSync(lockPath, 'utf8')));
    return session(3600_000);
  });
  assert.deepEqual(
    seen.map((r) => [(r as { pid: number }).pid, (r as { doing: string }).doing, (r as { person: boolean }).person]),
    [
      [process.pid, 'obtaining credentials', false],
      [process.pid, 'waiting for an MFA code at a terminal', true],
      [process.pid, 'obtaining credentials', false],
    ],
  );
  assert.deepEqual(readdirSync(dir), [`${key}.json`], 'no lock and no temp file left');
});

test("killed writers' temp files (credentials!) are removed by the next writer once stale, and by clearTempFiles at once", async () => {
  const { dir, store } = setup();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = cacheKey({ temps: 1 });
  const old = join(dir, `.${key}.json.swrole-dead0001.tmp`);
  const recent = join(dir, `.${key}.json.swrole-live0001.tmp`);
  const future = join(dir, `.other.json.swrole-ahead001.tmp`);
  for (const file of [old, recent, future]) writeFileSync(file, JSON.stringify(session(3600_000, 'LEFTOVER')), { mode: 0o600 });
  const now = Date.now() / 1000;
  utimesSync(old, now - 60, now - 60);
  utimesSync(future, now + 3600, now + 3600);
  await store.obtain(key, async () => session(3600_000));
  assert.deepEqual(
    readdirSync(dir).sort(),
    [`${key}.json`, `.${key}.json.swrole-live0001.tmp`].sort(),
    "stale ones gone, a live writer's kept",
  );
  assert.equal(store.clearTempFiles(), 1);
  assert.deepEqual(readdirSync(dir), [`${key}.json`]);
});

test('2,000 cache hits in a row each read the stored session (time per read reported; the budget is npm run bench)', async () => {
  const { store } = setup();
  const key = cacheKey({ perf: 1 });
  await store.obtain(key, async () => session(3600_000));
  const rounds = 2000;
  for (let i = 0; i < 200; i++) store.read(key);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) assert.ok(store.read(key));
  const perHitUs = ((performance.now() - started) * 1000) / rounds;
  process.stderr.write(`# cache hit: ${perHitUs.toFixed(1)} µs per read()\n`);
});

test('atomic writes: a reader racing 4 writer processes never sees a partial file', async () => {
  const { dir, store } = setup();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = cacheKey({ atomic: 1 });
  const writer = await bundleHelper(join(import.meta.dirname, '../helpers/cache-writer-child.ts'), join(dir, '..'));
  const writers = Array.from({ length: 4 }, (_, i) => spawn(process.execPath, [writer, dir, key, String(i), '150'], { stdio: 'ignore' }));
  const exited = writers.map((child) => new Promise<number | null>((done) => child.on('close', done)));
  let running = writers.length;
  void Promise.all(exited).then(() => (running = 0));
  let reads = 0;
  let present = 0;
  const deadline = performance.now() + 60_000;
  try {
    while (running > 0 && performance.now() < deadline) {
      for (let i = 0; i < 50; i++) {
        reads++;
        const got = store.readAny(key);
        if (got !== undefined) present++;
        else if (present > 0) assert.fail(`read ${reads}: the file existed but did not parse (torn write)`);
      }
      await new Promise((done) => setImmediate(done));
    }
  } finally {
    for (const child of writers) child.kill('SIGKILL');
  }
  assert.deepEqual(await Promise.all(exited), [0, 0, 0, 0]);
  assert.ok(present > 100, `only ${present} successful reads`);
  process.stderr.write(`# atomicity: ${reads} reads, ${present} complete, 0 torn\n`);
  assert.deepEqual(readdirSync(dir), [`${key}.json`], 'no temp files left');
});
