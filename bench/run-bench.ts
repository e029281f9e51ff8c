// `npm run bench`: cache-hit latency of swrole as ratios against `node -e 0` measured in the same run,
// interleaved so machine noise hits every command alike; plus the cold-cache concurrency check.
// Budgets (DESIGN.md): process/env hit ≤ 1.3 × node -e 0; exec hit ≤ 1.5 ×; 50 cold callers → 1 AssumeRole.
// Then the budgets the tests used to hold in absolute time: a 5,000-profile config loads in under 50 ms (best of
// 9) and the emulator answers GetCallerIdentity in under 5 ms (median). Tests assert no timings (ARCHITECTURE.md).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startEmulatorProcess } from '../demo/emulator-process.js';
import { totp } from '../emulator/totp.js';
import type { World } from '../emulator/world.js';
import { benchConfigLoad } from './config-load.js';
import { benchEmulatorLatency } from './emulator-latency.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swrole = join(root, 'dist', 'swrole.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const world = JSON.parse(readFileSync(join(root, 'demo', 'world.json'), 'utf8')) as World;
const user = world.accounts['333333333333']!.users!['example.user']!;
const device = user.mfa![0]!;

const emulator = await startEmulatorProcess(join(root, 'demo', 'world.json'));
const home = mkdtempSync(join(tmpdir(), 'swrole-bench-'));
mkdirSync(join(home, '.aws'), { mode: 0o700 });
writeFileSync(
  join(home, '.aws', 'config'),
  `[profile bench]
role_arn = arn:aws:iam::111111111111:role/RoleA
source_profile = base
mfa_serial = ${device.serial}
region = eu-west-1

[profile bench-cold]
role_arn = arn:aws:iam::222222222222:role/RoleReadOnly
source_profile = base
mfa_serial = ${device.serial}
region = eu-west-1
`,
);
writeFileSync(
  join(home, '.aws', 'credentials'),
  `[base]
aws_access_key_id = ${user.accessKeys[0]!.id}
aws_secret_access_key = ${user.accessKeys[0]!.secret}
`,
  { mode: 0o600 },
);
// A user's config is not seconds old: files edited in the last 2 s are never memoised (src/credentials/remember-hit.ts).
const past = new Date(Date.now() - 3_600_000);
for (const file of ['config', 'credentials']) utimesSync(join(home, '.aws', file), past, past);
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  SWROLE_HOME: join(home, 'state'),
  AWS_ENDPOINT_URL_STS: emulator.url,
  SWROLE_NO_PROMPT: '1',
};

function runOnce(argv: string[]): number {
  const start = performance.now();
  const result = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let failed = false;
try {
  const login = spawnSync(process.execPath, [swrole, 'login', 'bench', '--mfa-code', totp(device.totpSecret, await emulator.now())], {
    env,
    encoding: 'utf8',
  });
  if (login.status !== 0) throw new Error(`login failed: ${login.stderr}`);

  const commands: Record<string, string[]> = {
    'node -e 0': [process.execPath, '-e', '0'],
    'swrole process bench': [process.execPath, swrole, 'process', 'bench'],
    'swrole env bench': [process.execPath, swrole, 'env', 'bench'],
    'swrole exec bench -- true': [process.execPath, swrole, 'exec', 'bench', '--', 'true'],
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (const argv of Object.values(commands)) runOnce(argv); // warm the page cache
  for (let i = 0; i < rounds; i += 1) {
    for (const [name, argv] of Object.entries(commands)) samples[name]!.push(runOnce(argv));
  }
  const base = median(samples['node -e 0']!);
  const budgets: Record<string, number> = { 'swrole process bench': 1.3, 'swrole env bench': 1.3, 'swrole exec bench -- true': 1.5 };
  process.stdout.write(`cache-hit latency, ${rounds} interleaved rounds (median):\n`);
  for (const [name, xs] of Object.entries(samples)) {
    const ratio = median(xs) / base;
    const budget = budgets[name];
    const verdict = budget === undefined ? '' : ratio <= budget ? `ok (budget ${budget})` : `OVER budget ${budget}`;
    if (budget !== undefined && ratio > budget) failed = true;
    process.stdout.write(`  ${name.padEnd(28)} ${median(xs).toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)} × node -e 0  ${verdict}\n`);
  }

  // Cold role cache, MFA session present (the login above): 50 callers of a role not yet assumed must
  // cause exactly one AssumeRole and no GetSessionToken.
  const before = await emulator.counts();
  const started = performance.now();
  const outputs = await Promise.all(
    Array.from(
      { length: 50 },
      () =>
        new Promise<{ code: number | null; out: string }>((done) => {
          const child = spawn(process.execPath, [swrole, 'process', 'bench-cold'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('close', (code) => done({ code, out }));
        }),
    ),
  );
  const after = await emulator.counts();
  const assumes = (after.AssumeRole ?? 0) - (before.AssumeRole ?? 0);
  const sessions = (after.GetSessionToken ?? 0) - (before.GetSessionToken ?? 0);
  const ok = outputs.filter((o) => o.code === 0).length;
  const distinct = new Set(outputs.map((o) => o.out)).size;
  const concurrencyOk = ok === 50 && assumes === 1 && sessions === 0 && distinct === 1;
  if (!concurrencyOk) failed = true;
  process.stdout.write(
    `50 concurrent cold \`swrole process\`: ${ok}/50 succeeded, ${distinct} distinct credential(s), ${assumes} AssumeRole, ` +
      `${sessions} GetSessionToken, ${(performance.now() - started).toFixed(0)} ms wall  ${concurrencyOk ? 'ok' : 'FAILED'}\n`,
  );

  for (const result of [benchConfigLoad(), await benchEmulatorLatency()]) {
    if (!result.ok) failed = true;
    process.stdout.write(`${result.line}\n`);
  }
} finally {
  emulator.close();
  rmSync(home, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
