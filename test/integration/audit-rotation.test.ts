// Issue 15 (low): audit rotation cannot lose the rotated history. 40 writers released at once on a full log:
// one rotation, the whole history in audit.log.1, every new line in one of the two files. Repeated, since the
// loss needs an unlucky interleaving (before the fix: 1 trial in 5).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleHelper } from '../helpers/bundle-helper.js';

const WRITERS = 40;
const TRIALS = 12;
const HISTORY_LINES = 200;

let root = '';
let workers: Worker[] = [];
const barrier = new SharedArrayBuffer(4 * (1 + TRIALS));
const gate = new Int32Array(barrier);

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'swrole-audit-rotation-'));
  // Bundled and started once: worker threads do not inherit tsx's loader, and 40 tsx start-ups take most of a minute.
  const script = await bundleHelper(join(import.meta.dirname, '../helpers/audit-writer-worker.ts'), root);
  workers = Array.from({ length: WRITERS }, (_, id) => new Worker(script, { workerData: { id, barrier }, execArgv: [] }));
});
after(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  rmSync(root, { recursive: true, force: true });
});

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function trial(dir: string, index: number): Promise<void> {
  const history = Array.from({ length: HISTORY_LINES }, (_, i) => JSON.stringify({ history: i, pad: 'x'.repeat(40) }));
  const text = `${history.join('\n')}\n`;
  writeFileSync(join(dir, 'audit.log'), text, { mode: 0o600 });
  // Full now; the 40 new lines together stay far below a second rotation.
  const maxBytes = Buffer.byteLength(text);
  const results = workers.map(
    (w) =>
      new Promise<boolean>((resolve, reject) => {
        w.once('error', reject);
        w.once('message', (ok: boolean) => {
          w.off('error', reject);
          resolve(ok);
        });
      }),
  );
  for (const w of workers) w.postMessage({ dir, maxBytes, trial: index });
  const deadline = performance.now() + 60_000;
  while (Atomics.load(gate, 0) < WRITERS * (index + 1)) {
    assert.ok(performance.now() < deadline, 'the writers checked in');
    await new Promise((r) => setTimeout(r, 2));
  }
  Atomics.store(gate, 1 + index, 1);
  Atomics.notify(gate, 1 + index);
  assert.deepEqual(await Promise.all(results), Array(WRITERS).fill(true), 'every append succeeded');

  const rotated = lines(join(dir, 'audit.log.1'));
  const current = lines(join(dir, 'audit.log'));
  const historyIn = (ls: string[]) => ls.filter((l) => 'history' in (JSON.parse(l) as object)).length;
  assert.equal(historyIn(rotated), HISTORY_LINES, 'the rotated history is whole in audit.log.1');
  assert.equal(historyIn(current), 0);
  const pids = [...rotated, ...current]
    .map((l) => JSON.parse(l) as { pid?: number })
    .filter((r) => r.pid !== undefined)
    .map((r) => r.pid!)
    .sort((a, b) => a - b);
  assert.deepEqual(
    pids,
    Array.from({ length: WRITERS }, (_, i) => i),
    'every new line is in one of the two files, once',
  );
  assert.ok(!existsSync(join(dir, 'audit.log.rotating')), 'the rotation lock is gone');
}

test(`audit rotation: ${WRITERS} concurrent writers on a full log, ${TRIALS} trials: the rotated history is never lost`, async () => {
  for (let i = 0; i < TRIALS; i++) {
    const dir = mkdtempSync(join(root, 'trial-'));
    try {
      await trial(dir, i);
    } catch (error) {
      throw new Error(`trial ${i + 1} of ${TRIALS}: ${(error as Error).message}`, { cause: error });
    }
  }
});
