// A worker thread of test/integration/audit-rotation.test.ts (bundled by bundleHelper, run without tsx). For each
// trial the test posts {dir, maxBytes, trial}: the worker checks in, waits at that trial's barrier, then appends one
// audit line (real fs calls on its own thread, so the writers really race) and reports whether it succeeded.
import { parentPort, workerData } from 'node:worker_threads';
import { appendAuditRecord } from '../../src/audit/audit-log.js';

const { id, barrier } = workerData as { id: number; barrier: SharedArrayBuffer };
// [0]: writers checked in (all trials), [1 + trial]: that trial's gate.
const gate = new Int32Array(barrier);
parentPort!.on('message', ({ dir, maxBytes, trial }: { dir: string; maxBytes: number; trial: number }) => {
  Atomics.add(gate, 0, 1);
  Atomics.wait(gate, 1 + trial, 0);
  const ok = appendAuditRecord(
    dir,
    { time: new Date().toISOString(), command: 'process', profile: `writer-${id}`, roleArn: null, agent: null, pid: id, source: 'hit' },
    maxBytes,
  );
  parentPort!.postMessage(ok);
});
