// `npm test`: build the binary (e2e tests spawn dist/), then run every test file with node's runner.
// Usage: node scripts/test.mjs [unit|integration|interop|e2e|agents|FILE...]
// With no argument: unit, integration, interop and e2e. test/agents (real agent binaries driven through many
// turns, minutes per file) runs only when asked for: `npm run test:agents` (= node scripts/test.mjs agents),
// which CI runs after `npm test` (.ci/run).
// Prints the time per suite and the slowest files at the end (scripts/test-timing-reporter.mjs); budgets on
// speed live in `npm run bench`, not in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readTimes } from './test-timing-reporter.mjs';

function find(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const defaultSuites = ['unit', 'integration', 'interop', 'e2e'];
const suites = [...defaultSuites, 'agents'];
const files =
  args.length === 0
    ? defaultSuites.flatMap((s) => find(join('test', s)))
    : args.flatMap((a) => (suites.includes(a) ? find(join('test', a)) : [a]));
if (files.length === 0) {
  // `npm run test:agents` before test/agents exists on this branch: nothing to run is not a failure.
  console.error(`test: no test files in ${args.map((a) => join('test', a)).join(', ')}`);
  process.exit(0);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const startedBuild = performance.now();
const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const buildMs = performance.now() - startedBuild;

// The real-agent files drive a real agent binary through many scripted turns, and node's --test-timeout also
// bounds a whole file: they run after the others, on their own, with a longer timeout.
const isAgent = (f) => f.split(/[\\/]/).includes('agents');
// node 20's --test-timeout also bounds each file as a whole: it is a hang bound (each child a test spawns has its
// own kill timer), set so that the longest file finishes on a machine loaded well past its cores.
// Longest first, by the last run's times (a file never timed counts as long): the run then ends on short files
// instead of on a long one alone while the other worker idles. Without times, the order given.
const lastMs = readTimes();
const longestFirst = (list) =>
  list
    .map((f, i) => ({ f, i, ms: lastMs[f] ?? Infinity }))
    .sort((a, b) => b.ms - a.ms || a.i - b.i)
    .map((e) => e.f);
const runs = [
  { files: longestFirst(files.filter((f) => !isAgent(f))), timeout: 600_000 },
  { files: files.filter(isAgent), timeout: 1_200_000 },
];
const reporters = [
  `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-timing-reporter.mjs',
  '--test-reporter-destination=stderr',
];
let status = 0;
const startedTests = performance.now();
for (const { files: group, timeout } of runs) {
  if (group.length === 0) continue;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/helpers/silence-sdk-node-warning.ts',
      '--test',
      `--test-concurrency=${process.env.SWROLE_TEST_CONCURRENCY ?? 3}`,
      `--test-timeout=${timeout}`,
      ...reporters,
      ...group,
    ],
    { stdio: 'inherit', env: { ...process.env, SWROLE_TEST: '1' } },
  );
  if (run.status !== 0) status = run.status ?? 1;
}
console.error(`# build ${seconds(buildMs)}, tests ${seconds(performance.now() - startedTests)} (${files.length} files)`);
process.exit(status);
