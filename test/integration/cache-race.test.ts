// Real processes racing on one cache key: the per-key lock must make the fetch (an STS call in swrole) run once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundleHelper } from '../helpers/bundle-helper.js';

interface ChildResult {
  code: number | null;
  out: {
    session?: { credentials: { secretAccessKey: string } };
    hit?: boolean;
    lockLoaded?: boolean;
    code?: string;
    exit?: number;
    hint?: string;
    ms: number;
  };
  stderr: string;
}

let root = '';
let helper = '';
const children = new Set<ChildProcess>();

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'swrole-cache-race-'));
  helper = await bundleHelper(join(import.meta.dirname, '../helpers/cache-obtain-child.ts'), root);
});
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [helper, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

test('50 processes on a cold cache: the fetch runs once, everyone gets the same session', async () => {
  const dir = join(root, 'race');
  const counter = join(root, 'race-count');
  writeFileSync(counter, '');
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: 50 }, () => finish(start([dir, 'a'.repeat(64), counter, '200', '10000', '30000']))),
  );
  const wallMs = performance.now() - started;
  assert.deepEqual(
    results.map((r) => r.code),
    Array(50).fill(0),
    results.map((r) => r.stderr).join(''),
  );
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 1, 'fetch ran more than once');
  assert.equal(new Set(results.map((r) => r.out.session?.credentials.secretAccessKey)).size, 1);
  assert.equal(results.filter((r) => r.out.hit === false).length, 1);
  const slowest = Math.max(...results.map((r) => r.out.ms));
  process.stderr.write(`# 50 cold callers: 1 fetch, wall ${wallMs.toFixed(0)} ms, slowest obtain ${slowest.toFixed(0)} ms\n`);

  // A hit in a new process never loads the lock library.
  const hit = await finish(start([dir, 'a'.repeat(64), counter, '200', '10000', '30000']));
  assert.equal(hit.out.hit, true);
  assert.equal(hit.out.lockLoaded, false);
  assert.equal(results.find((r) => r.out.hit === false)?.out.lockLoaded, true, 'the oracle for lockLoaded works');
});

test('a lock holder killed with SIGKILL blocks the next caller no longer than lockStaleMs', async () => {
  const dir = join(root, 'killed');
  const counter = join(root, 'killed-count');
  writeFileSync(counter, '');
  const staleMs = 2000;
  const holder = start([dir, 'b'.repeat(64), counter, '200', String(staleMs), '30000', 'hold']);
  await waitForLine(holder, 'LOCKED');
  holder.kill('SIGKILL');
  const next = await finish(start([dir, 'b'.repeat(64), counter, '200', String(staleMs), '30000']));
  assert.equal(next.code, 0, next.stderr);
  assert.equal(next.out.hit, false);
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 2);
  // proper-lockfile's first mtime is rounded up to the next second + 5 ms (its mtime-precision probe), so a
  // holder killed right after taking the lock is taken over after at most lockStaleMs + 1 s (+ our poll step).
  assert.ok(next.out.ms < staleMs + 1000 + 500, `waited ${next.out.ms} ms`);
  process.stderr.write(`# killed holder: next caller through after ${next.out.ms.toFixed(0)} ms (lockStaleMs ${staleMs})\n`);
});

test('a live holder that keeps the lock past lockWaitMs → E_CACHE_LOCK_TIMEOUT, exit 5', async () => {
  const dir = join(root, 'timeout');
  const counter = join(root, 'timeout-count');
  writeFileSync(counter, '');
  const holder = start([dir, 'c'.repeat(64), counter, '200', '2000', '30000', 'hold']);
  await waitForLine(holder, 'LOCKED');
  // Wait past the stale time: the live holder's heartbeat must keep its lock.
  await new Promise((done) => setTimeout(done, 2500));
  const waiter = await finish(start([dir, 'c'.repeat(64), counter, '200', '2000', '800']));
  holder.kill('SIGKILL');
  assert.equal(waiter.code, 5);
  assert.equal(waiter.out.code, 'E_CACHE_LOCK_TIMEOUT');
  assert.equal(waiter.out.exit, 5);
  assert.match(waiter.out.hint ?? '', /retry/);
  assert.ok(waiter.out.ms >= 800 && waiter.out.ms < 2500, `gave up after ${waiter.out.ms} ms`);
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 1, 'the waiter must not fetch');
});
