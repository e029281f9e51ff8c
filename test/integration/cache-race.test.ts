// Real processes racing on one cache key: the per-key lock must make the fetch (an STS call in swrole) run once,
// a dead holder's lock must never hold anyone up, and a live holder must never lose its lock.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundleHelper } from '../helpers/bundle-helper.js';
import { waitFor } from '../helpers/wait-for.js';
import { renderLockRecord, type LockRecord } from '../../src/platform/lock-record.js';
import { processIdentity } from '../../src/platform/process-identity.js';

interface ChildResult {
  code: number | null;
  out: {
    session?: { credentials: { secretAccessKey: string } };
    hit?: boolean;
    code?: string;
    exit?: number;
    message?: string;
    hint?: string;
    ms: number;
  };
  stderr: string;
}

let root = '';
let helper = '';
let n = 0;
const children = new Set<ChildProcess>();

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'swrole-cache-race-'));
  helper = await bundleHelper(join(import.meta.dirname, '../helpers/cache-obtain-child.ts'), root);
});
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A fresh cache dir, key and fetch counter. */
function world(name: string) {
  const dir = join(root, `${name}-${++n}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const counter = join(root, `${name}-${n}-count`);
  writeFileSync(counter, '');
  const key = String(n % 10).repeat(64);
  return {
    dir,
    key,
    counter,
    lock: join(dir, `${key}.lock`),
    fetches: () => readFileSync(counter, 'utf8').trim().split('\n').filter(Boolean).length,
  };
}

type World = ReturnType<typeof world>;

function start(w: World, options: { fetchMs?: number; workingMs?: number; personMs?: number; mode?: string } = {}): ChildProcess {
  const args = [
    w.dir,
    w.key,
    w.counter,
    String(options.fetchMs ?? 200),
    String(options.workingMs ?? 300_000),
    String(options.personMs ?? 60_000),
  ];
  const child = spawn(process.execPath, [helper, ...args, ...(options.mode ? [options.mode] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function finish(child: ChildProcess): Promise<ChildResult> {
  return new Promise((done, fail) => {
    let out = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => fail(new Error(`child did not finish: ${stderr}`)), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        done({ code, out: JSON.parse(out) as ChildResult['out'], stderr });
      } catch (error) {
        fail(new Error(`bad child output ${JSON.stringify(out)} ${stderr}`, { cause: error }));
      }
    });
  });
}

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`no ${line}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(line)) {
        clearTimeout(timer);
        done();
      }
    });
  });
}

/** A lock record as a holder writes it, here for a process of our choosing. */
function lockRecord(extra: Partial<LockRecord>): LockRecord {
  return {
    swroleLock: 1,
    ...processIdentity(process.pid, process.platform),
    nonce: 'planted',
    since: new Date().toISOString(),
    command: 'swrole process planted',
    doing: 'obtaining credentials',
    person: false,
    ...extra,
  };
}

/** The PID of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('50 processes on a cold cache: the fetch runs once, everyone gets the same session', async () => {
  const w = world('race');
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 50 }, () => finish(start(w))));
  const wallMs = performance.now() - started;
  assert.deepEqual(
    results.map((r) => r.code),
    Array(50).fill(0),
    results.map((r) => r.stderr).join(''),
  );
  assert.equal(w.fetches(), 1, 'fetch ran more than once');
  assert.equal(new Set(results.map((r) => r.out.session?.credentials.secretAccessKey)).size, 1);
  assert.equal(results.filter((r) => r.out.hit === false).length, 1);
  const slowest = Math.max(...results.map((r) => r.out.ms));
  process.stderr.write(`# 50 cold callers: 1 fetch, wall ${wallMs.toFixed(0)} ms, slowest obtain ${slowest.toFixed(0)} ms\n`);
});

// The next caller after a dead or stale holder gets TAKEOVER_WAIT_MS of patience (workingMs): had it not taken the
// lock over, it would wait that out and fail with E_CACHE_LOCK_TIMEOUT. How soon it got through is reported.
const TAKEOVER_WAIT_MS = 10_000;

test('a lock holder killed with SIGKILL does not hold the next caller up: it takes the lock over', async () => {
  const w = world('killed');
  const holder = start(w, { mode: 'hold' });
  await waitForLine(holder, 'LOCKED');
  holder.kill('SIGKILL');
  await new Promise((done) => holder.on('close', done));
  const next = await finish(start(w, { workingMs: TAKEOVER_WAIT_MS }));
  assert.equal(next.code, 0, next.stderr);
  assert.equal(next.out.hit, false);
  assert.equal(w.fetches(), 2);
  process.stderr.write(`# killed holder: next caller through after ${next.out.ms.toFixed(0)} ms\n`);
});

test('stale locks of every kind are taken over at once, whatever their mtime', async () => {
  const hourAhead = new Date(Date.now() + 3600_000);
  const cases: Array<[string, (w: World) => void]> = [
    ['a dead PID, mtime an hour ahead', (w) => writeFileSync(w.lock, renderLockRecord(lockRecord({ pid: deadPid() })))],
    ['a recycled PID (alive, other start time)', (w) => writeFileSync(w.lock, renderLockRecord(lockRecord({ start: '1' })))],
    ['another boot', (w) => writeFileSync(w.lock, renderLockRecord(lockRecord({ boot: '00000000-0000-0000-0000-000000000000' })))],
    ['an empty file (a crash between create and write)', (w) => writeFileSync(w.lock, '')],
    ["swrole 0.1's empty lock directory", (w) => mkdirSync(w.lock)],
  ];
  for (const [name, plant] of cases) {
    const w = world('stale');
    plant(w);
    utimesSync(w.lock, hourAhead, hourAhead);
    const next = await finish(start(w, { workingMs: TAKEOVER_WAIT_MS }));
    assert.equal(next.code, 0, `${name}: ${next.stderr}`);
    assert.equal(next.out.hit, false, name);
    process.stderr.write(`# stale lock (${name}): through after ${next.out.ms.toFixed(0)} ms\n`);
  }
});

test('30 processes meeting one stale lock at once: exactly one takes it over, the fetch runs once', async () => {
  const w = world('stealers');
  writeFileSync(w.lock, renderLockRecord(lockRecord({ pid: deadPid() })));
  const results = await Promise.all(Array.from({ length: 30 }, () => finish(start(w, { fetchMs: 300 }))));
  assert.deepEqual(
    results.map((r) => r.code),
    Array(30).fill(0),
    results.map((r) => r.stderr).join(''),
  );
  assert.equal(w.fetches(), 1);
  assert.equal(new Set(results.map((r) => r.out.session?.credentials.secretAccessKey)).size, 1);
});

test('a live holder keeps its lock however long it works; past workingMs the waiter fails with E_CACHE_LOCK_TIMEOUT, exit 5', async () => {
  const w = world('timeout');
  const holder = start(w, { mode: 'hold' });
  await waitForLine(holder, 'LOCKED');
  // proper-lockfile would have let a waiter take this over after 10 s without a heartbeat; liveness is the PID now.
  const waiter = await finish(start(w, { workingMs: 800 }));
  holder.kill('SIGKILL');
  assert.equal(waiter.code, 5);
  assert.equal(waiter.out.code, 'E_CACHE_LOCK_TIMEOUT');
  assert.match(
    waiter.out.message ?? '',
    new RegExp(`held for \\d+ s by pid ${holder.pid} \\(cache-obtain-child hold\\), obtaining credentials since`),
  );
  assert.match(waiter.out.hint ?? '', new RegExp(`process ${holder.pid}`));
  // At workingMs, not at the default 300 s: the upper bound tells the two apart with room for a loaded machine.
  assert.ok(waiter.out.ms >= 800 && waiter.out.ms < 20_000, `gave up after ${waiter.out.ms} ms`);
  assert.equal(w.fetches(), 1, 'the waiter must not fetch');
});

test('a holder waiting for a person: a program waits only the person bound, and the error says who and since when', async () => {
  const w = world('person');
  const holder = start(w, { mode: 'prompt' });
  await waitForLine(holder, 'LOCKED');
  await waitFor(() => readFileSync(w.lock, 'utf8').includes('waiting for an MFA code'), 'the lock record names the prompt');
  const waiter = await finish(start(w, { personMs: 700 }));
  assert.equal(waiter.code, 5, waiter.stderr);
  assert.equal(waiter.out.code, 'E_CACHE_LOCK_TIMEOUT');
  assert.match(
    waiter.out.message ?? '',
    new RegExp(
      `held by pid ${holder.pid} \\(cache-obtain-child prompt\\), waiting for an MFA code at a terminal since \\d\\d:\\d\\d:\\d\\d UTC`,
    ),
  );
  assert.match(waiter.out.hint ?? '', /Ctrl-C/);
  // At personMs, not at the default 60 s.
  assert.ok(waiter.out.ms >= 700 && waiter.out.ms < 20_000, `gave up after ${waiter.out.ms} ms`);
  assert.doesNotMatch(waiter.stderr, /notice:/, 'a program is not told, it gets the error');
  // A person waiting is told at once who is in the way.
  const person = await finish(start(w, { personMs: 700, mode: 'interactive' }));
  holder.kill('SIGKILL');
  assert.equal(person.out.code, 'E_CACHE_LOCK_TIMEOUT');
  assert.match(
    person.stderr,
    new RegExp(
      `^notice: waiting for pid ${holder.pid} \\(cache-obtain-child prompt\\), waiting for an MFA code at a terminal since .*; giving up after 1 s \\(Ctrl-C to stop\\)$`,
      'm',
    ),
  );
  assert.equal(w.fetches(), 1);
});

test('a lock from another host cannot be checked: waited for, and the error says so', async () => {
  const w = world('host');
  writeFileSync(w.lock, renderLockRecord(lockRecord({ host: `not-${hostname()}`, pid: deadPid() })));
  const waiter = await finish(start(w, { workingMs: 500 }));
  assert.equal(waiter.code, 5, waiter.stderr);
  assert.equal(waiter.out.code, 'E_CACHE_LOCK_TIMEOUT');
  assert.match(waiter.out.message ?? '', /on host not-/);
  assert.match(waiter.out.hint ?? '', new RegExp(`it runs on host not-.*remove ${w.lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(w.fetches(), 0);
});

test('a lock path that is a foreign file, a directory with files or a symlink: E_LOCK_UNUSABLE, exit 5, nothing deleted', async () => {
  const cases: Array<[string, (w: World) => void, RegExp]> = [
    ['a foreign file', (w) => writeFileSync(w.lock, 'not a lock\n'), /is a file that is not a swrole lock/],
    ['a directory with files', (w) => (mkdirSync(w.lock), writeFileSync(join(w.lock, 'keep'), 'x')), /is a directory with 1 entries/],
    ['a symlink', (w) => symlinkSync(join(root, 'nowhere'), w.lock), /is a symbolic link/],
    ['a FIFO (must not block the reader)', (w) => spawnSync('mkfifo', [w.lock]), /is not a regular file/],
  ];
  for (const [name, plant, why] of cases) {
    const w = world('unusable');
    plant(w);
    const r = await finish(start(w));
    assert.equal(r.code, 5, `${name}: ${r.stderr}`);
    assert.equal(r.out.code, 'E_LOCK_UNUSABLE', name);
    assert.match(r.out.message ?? '', why, name);
    assert.ok(r.out.message?.includes(w.lock), name);
    assert.match(r.out.hint ?? '', /move .* out of the way/, name);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, `${name}: no stack trace`);
    assert.equal(w.fetches(), 0, name);
    assert.ok(lstatSync(w.lock, { throwIfNoEntry: false }), `${name}: left in place`);
  }
});
