// Runs test files with node's runner in the order they are given: scripts/test.mjs orders them longest first.
// `node --test FILE...` sorts its files by path (node 20 reads them as patterns), which lost that order; the
// run() API keeps it. Each file still runs in a process of its own, with this process's flags
// (--enable-source-maps) and environment.
// Usage: node [--enable-source-maps] scripts/run-test-files.mjs CONCURRENCY TIMEOUT_MS FILE...
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';
import timingReporter from './test-timing-reporter.mjs';

const [concurrency, timeout, ...files] = process.argv.slice(2);
const events = run({ files: files.map((f) => resolve(f)), concurrency: Number(concurrency), timeout: Number(timeout) });
// As the `node --test` command does: any failure that is not a todo fails the run.
events.on('test:fail', (data) => {
  if (data.todo === undefined || data.todo === false) process.exitCode = 1;
});
// The same events to both reporters: TAP (spec on a terminal) on stdout, the timing summary on stderr.
const toStdout = new PassThrough({ objectMode: true });
const toStderr = new PassThrough({ objectMode: true });
events.on('data', (event) => {
  toStdout.write(event);
  toStderr.write(event);
});
events.on('end', () => {
  toStdout.end();
  toStderr.end();
});
toStdout.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
toStderr.compose(timingReporter).pipe(process.stderr);
