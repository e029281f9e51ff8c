// `npm test`: build the binary (e2e tests spawn dist/), then run every test file with node's runner.
// Usage: node scripts/test.mjs [unit|integration|interop|e2e|agents|FILE...]
// With no argument: unit, integration, interop and e2e. test/agents (real agent binaries driven through many
// turns, minutes per file) runs only when asked for: `npm run test:agents` (= node scripts/test.mjs agents),
// which CI runs after `npm test` (.ci/run).
// Prints the time per suite and the slowest files at the end (scripts/test-timing-reporter.mjs); budgets on
// speed live in `npm run bench`, not in tests. The test files run transpiled, without a loader
// (scripts/compile-tests.mjs); `node --import tsx --test FILE` runs one from its source as well.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileTests, compiledPath } from './compile-tests.mjs';
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
    : args.flatMap((a) => (suites.includes(a) ? find(join('test', a)) : [relative(process.cwd(), resolve(a))]));
const outside = files.find((f) => !/^test[\\/].*\.ts$/.test(f));
if (outside !== undefined) {
  console.error(`test: ${outside} is not a .ts file under test/ (run others with node --import tsx --test FILE)`);
  process.exit(2);
}
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
const startedCompile = performance.now();
try {
  await compileTests();
} catch (error) {
  console.error(`test: cannot transpile the sources: ${error.message}`);
  process.exit(1);
}
const compileMs = performance.now() - startedCompile;

// The real-agent files drive a real agent binary through many scripted turns, and the runner's timeout also
// bounds a whole file: they run after the others, on their own, with a longer timeout.
/** A path with / separators, as the lists below spell them. */
const posix = (f) => f.split(/[\\/]/).join('/');
const isAgent = (f) => posix(f).split('/').includes('agents');
// The runner's timeout bounds each file as a whole: it is a hang bound (each child a test spawns has its own kill
// timer), set so that the longest file finishes on a machine loaded well past its cores.
// Longest first, by the last run's times (a file never timed counts as long): the run then ends on short files
// instead of on a long one alone while the other workers idle (scripts/run-test-files.mjs keeps this order;
// `node --test` would sort the files by path). A fresh clone has no times yet: then the files below (the longest
// when run alone when this list was written: rate-limited portal pages, key propagation, the kill campaign) start
// first, and the rest follow suite by suite, the slower suites first.
const LONG_FILES = [
  'test/e2e/sso-profiles.test.ts',
  'test/e2e/keys-rotate.test.ts',
  'test/e2e/chaos-kill.test.ts',
  'test/e2e/agent-claude.test.ts',
  'test/e2e/write-faults.test.ts',
  'test/e2e/sso-sources.test.ts',
  'test/integration/helper-deadline.test.ts',
  'test/integration/cache-race.test.ts',
  'test/e2e/tty-prompt.test.ts',
  'test/interop/emulator-cli.test.ts',
  'test/interop/sso-aws-cli-v2.test.ts',
  'test/e2e/doctor.test.ts',
  'test/e2e/sts-stall.test.ts',
  'test/e2e/sso-login.test.ts',
  'test/interop/botocore-diff.test.ts',
  'test/integration/claude-settings-concurrency.test.ts',
  'test/e2e/cache-load.test.ts',
];
for (const f of LONG_FILES) if (!existsSync(f)) console.error(`test: scripts/test.mjs lists ${f} as long, and it does not exist`);
const lastMs = readTimes();
const timed = Object.keys(lastMs).length > 0;
const suiteRank = (f) => ['e2e', 'interop', 'integration', 'unit'].indexOf(posix(f).split('/')[1] ?? '');
const weight = (f) => {
  if (timed) return lastMs[f] ?? Infinity;
  const long = LONG_FILES.indexOf(posix(f));
  return long >= 0 ? 1e9 - long : -suiteRank(f);
};
const longestFirst = (list) =>
  list
    .map((f, i) => ({ f, i, ms: weight(f) }))
    .sort((a, b) => b.ms - a.ms || a.i - b.i)
    .map((e) => e.f);
// Files that mostly wait on real time by design (a portal's rate limit, IAM key propagation, helper deadlines, a
// stalled endpoint, a prompt in tmux): they run in a lane of their own, two at a time, beside the others, instead
// of holding slots that files keeping the cores busy would use (scripts/run-test-files.mjs).
const WAITING_FILES = [
  'test/e2e/sso-profiles.test.ts',
  'test/e2e/keys-rotate.test.ts',
  'test/integration/helper-deadline.test.ts',
  'test/e2e/tty-prompt.test.ts',
  'test/e2e/sts-stall.test.ts',
  'test/interop/sso-aws-cli-v2.test.ts',
  'test/integration/credential-server.test.ts',
];
for (const f of WAITING_FILES) if (!existsSync(f)) console.error(`test: scripts/test.mjs lists ${f} as waiting, and it does not exist`);
const waits = (f) => WAITING_FILES.includes(posix(f));
const concurrency = String(process.env.SWROLE_TEST_CONCURRENCY ?? 3);
const suitesRun = files.filter((f) => !isAgent(f));
const runs = [
  {
    lanes: [
      [concurrency, longestFirst(suitesRun.filter((f) => !waits(f)))],
      ['2', longestFirst(suitesRun.filter(waits))],
    ],
    timeout: 600_000,
  },
  { lanes: [[concurrency, files.filter(isAgent)]], timeout: 1_200_000 },
];
/**
 * pyenv's shims (`python3` and `aws` on PATH are bash scripts) start about 15 processes per call to pick a
 * version: the suite calls python3 and the aws CLI a few hundred times, so with shims first on PATH it gets the
 * picked interpreter's own bin dir ahead of them (the same python3 and aws the shims run).
 */
function testEnv() {
  const env = { ...process.env, SWROLE_TEST: '1' };
  const found = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' });
  if (found.status !== 0 || !found.stdout.includes('/shims/')) return env;
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = python.status === 0 ? python.stdout.trim() : '';
  return executable === '' ? env : { ...env, PATH: `${dirname(executable)}${delimiter}${env.PATH ?? ''}` };
}
const env = testEnv();
let status = 0;
const startedTests = performance.now();
for (const { lanes, timeout } of runs) {
  const laneArgs = lanes.filter(([, group]) => group.length > 0).flatMap(([n, group]) => ['--lane', n, ...group.map(compiledPath)]);
  if (laneArgs.length === 0) continue;
  const run = spawnSync(process.execPath, ['--enable-source-maps', 'scripts/run-test-files.mjs', String(timeout), ...laneArgs], {
    stdio: 'inherit',
    env,
  });
  if (run.status !== 0) status = run.status ?? 1;
}
console.error(
  `# build ${seconds(buildMs)}, transpile ${seconds(compileMs)}, tests ${seconds(performance.now() - startedTests)} (${files.length} files)`,
);
process.exit(status);
