// `npm test`: build the binary (e2e tests spawn dist/), then run every test file with node's runner.
// Usage: node scripts/test.mjs [unit|integration|interop|e2e|agents|FILE...]
// agents: the real Claude Code binary (scripts/install-agents.mjs installs it; skipped without it, failed under CI=true).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const suites = ['unit', 'integration', 'interop', 'e2e', 'agents'];
const files =
  args.length === 0
    ? suites.flatMap((s) => find(join('test', s)))
    : args.flatMap((a) => (suites.includes(a) ? find(join('test', a)) : [a]));

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

// The real-agent suite (test/agents) runs after the others, on its own: each file drives a real agent binary
// through many scripted turns (minutes, not seconds), and node's --test-timeout also bounds a whole file.
const isAgent = (f) => f.split(/[\\/]/).includes('agents');
const runs = [
  { files: files.filter((f) => !isAgent(f)), timeout: 180_000 },
  { files: files.filter(isAgent), timeout: 1_200_000 },
];
let status = 0;
for (const { files: group, timeout } of runs) {
  if (group.length === 0) continue;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeout}`, ...group], {
    stdio: 'inherit',
    env: { ...process.env, SWROLE_TEST: '1' },
  });
  if (run.status !== 0) status = run.status ?? 1;
}
process.exit(status);
