// A node:test reporter that prints where the suite's time goes, next to the usual spec/TAP output: for each
// suite folder (test/unit, test/integration, …) its wall-clock span (first file started → last file done) and
// the sum of its files' own times, then the slowest files. scripts/test.mjs adds it to every run.
import { performance } from 'node:perf_hooks';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { sourcePath } from './compile-tests.mjs';

/**
 * Where each file's last time is kept (milliseconds by path relative to the checkout): scripts/test.mjs starts the
 * longest files first, so that two long files do not end the run alone. A cache: missing or stale only costs order.
 */
export const TIMES_FILE = 'node_modules/.cache/swrole-test-times.json';

export function readTimes() {
  try {
    return JSON.parse(readFileSync(TIMES_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function writeTimes(files) {
  try {
    const times = readTimes();
    for (const [file, entry] of files) if (entry.ms > 0) times[relative(process.cwd(), file)] = Math.round(entry.ms);
    mkdirSync(dirname(TIMES_FILE), { recursive: true });
    writeFileSync(`${TIMES_FILE}.tmp`, `${JSON.stringify(times, null, 1)}\n`);
    renameSync(`${TIMES_FILE}.tmp`, TIMES_FILE);
  } catch {
    // Only the next run's order depends on it.
  }
}

/** SWROLE_TEST_TIMELINE=FILE: each file's start and end (seconds from the first start), to see where a run idles. */
function writeTimeline(path, files) {
  const first = Math.min(...[...files.values()].map((e) => e.started));
  const rows = [...files]
    .map(([file, e]) => ({
      file: relative(process.cwd(), file),
      start: (e.started - first) / 1000,
      end: ((e.ended ?? e.started) - first) / 1000,
    }))
    .sort((a, b) => a.start - b.start);
  writeFileSync(path, rows.map((r) => `${r.start.toFixed(1)}\t${r.end.toFixed(1)}\t${r.file}`).join('\n') + '\n');
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(8);

export default async function* timingReporter(source) {
  const files = new Map(); // file → { started, ended, ms }
  for await (const event of source) {
    const { type, data } = event;
    // node reports each test file as a test of its own, named by its path, at nesting 0.
    if (!data?.file || data.name !== data.file || data.nesting !== 0) continue;
    // Named by the source file, not its transpiled copy (scripts/compile-tests.mjs).
    const file = sourcePath(data.file);
    if (type === 'test:dequeue') files.set(file, { started: performance.now(), ended: undefined, ms: 0 });
    if (type === 'test:complete') {
      const entry = files.get(file) ?? { started: performance.now(), ms: 0 };
      files.set(file, { ...entry, ended: performance.now(), ms: data.details?.duration_ms ?? 0 });
    }
  }
  if (files.size === 0) return;
  writeTimes(files);
  if (process.env.SWROLE_TEST_TIMELINE) writeTimeline(process.env.SWROLE_TEST_TIMELINE, files);
  const suites = new Map();
  for (const [file, entry] of files) {
    const parts = relative(process.cwd(), file).split(sep);
    const suite = parts[0] === 'test' && parts.length > 2 ? parts[1] : '(other)';
    const s = suites.get(suite) ?? { first: Infinity, last: 0, sum: 0, count: 0 };
    s.first = Math.min(s.first, entry.started);
    s.last = Math.max(s.last, entry.ended ?? entry.started);
    s.sum += entry.ms;
    s.count += 1;
    suites.set(suite, s);
  }
  let out = '\n# time per suite (wall span: first file started → last file done; sum: the files’ own times, several run at once)\n';
  for (const [suite, s] of suites) {
    out += `#   ${suite.padEnd(12)} ${String(s.count).padStart(3)} files  wall span ${seconds(s.last - s.first)}  sum ${seconds(s.sum)}\n`;
  }
  out += '# slowest files\n';
  const slowest = [...files].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10);
  for (const [file, entry] of slowest) out += `#   ${seconds(entry.ms)}  ${relative(process.cwd(), file)}\n`;
  yield out;
}
