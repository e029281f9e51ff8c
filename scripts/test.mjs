// `npm test`: build the binary (e2e tests spawn dist/), then run every test file with node's runner.
// Usage: node scripts/test.mjs [unit|integration|interop|e2e|FILE...]
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
const suites = ['unit', 'integration', 'interop', 'e2e'];
const files =
  args.length === 0
    ? suites.flatMap((s) => find(join('test', s)))
    : args.flatMap((a) => (suites.includes(a) ? find(join('test', a)) : [a]));

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, SWROLE_TEST: '1' },
});
process.exit(run.status ?? 1);
