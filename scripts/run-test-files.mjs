// Runs test files with node's runner, in lanes, each file in the order given: scripts/test.mjs orders them longest
// first. `node --test FILE...` sorts its files by path (node 20 reads them as patterns), which lost that order; the
// run() API keeps it. A lane is one run() with its own concurrency: the files that mostly wait on real time (a
// portal's rate limit, key propagation, deadlines) get a lane of their own, so that they never hold the slots of the
// files that keep the cores busy. Each file still runs in a process of its own, with this process's flags
// (--enable-source-maps) and environment. The lanes' results are one report: TAP (spec on a terminal) on stdout,
// numbered and summed across lanes, and the timing summary on stderr.
// Usage: node [--enable-source-maps] scripts/run-test-files.mjs TIMEOUT_MS --lane CONCURRENCY FILE... [--lane …]
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import timingReporter from './test-timing-reporter.mjs';

const [timeout, ...rest] = process.argv.slice(2);
const lanes = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--lane') lanes.push({ concurrency: Number(rest[++i]), files: [] });
  else lanes.at(-1)?.files.push(resolve(rest[i]));
}

const toStdout = new PassThrough({ objectMode: true });
const toStderr = new PassThrough({ objectMode: true });
toStdout.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
toStderr.compose(timingReporter).pipe(process.stderr);

// Each run() ends with its own plan and summary (`# tests 12`, `# pass 12`, …): held back, summed, said once.
const SUMMARY = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/;
const totals = new Map();
let topLevelNumber = 0;
const started = performance.now();

function forward(event) {
  toStderr.write(event);
  const { type, data } = event;
  if (data?.nesting === 0 && type === 'test:plan') return;
  if (data?.nesting === 0 && type === 'test:diagnostic') {
    const m = SUMMARY.exec(data.message ?? '');
    if (m) {
      totals.set(m[1], (totals.get(m[1]) ?? 0) + Number(m[2]));
      return;
    }
  }
  // Top-level results are numbered across lanes (each run() counts from 1), and the one plan counts them all.
  if (data?.nesting === 0 && (type === 'test:pass' || type === 'test:fail')) {
    topLevelNumber += 1;
    toStdout.write({ type, data: { ...data, testNumber: topLevelNumber } });
    return;
  }
  toStdout.write(event);
}

const done = lanes.map(
  (lane) =>
    new Promise((resolveLane) => {
      const events = run({ files: lane.files, concurrency: lane.concurrency, timeout: Number(timeout) });
      // As the `node --test` command does: any failure that is not a todo fails the run.
      events.on('test:fail', (data) => {
        if (data.todo === undefined || data.todo === false) process.exitCode = 1;
      });
      events.on('data', forward);
      events.on('end', resolveLane);
    }),
);
await Promise.all(done);
toStdout.write({ type: 'test:plan', data: { nesting: 0, count: topLevelNumber } });
totals.set('duration_ms', performance.now() - started);
for (const [name, value] of totals) toStdout.write({ type: 'test:diagnostic', data: { nesting: 0, message: `${name} ${value}` } });
toStdout.end();
toStderr.end();
