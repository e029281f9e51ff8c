// Issue 15 (critical): on a cache hit, `swrole exec P CMD ARGS -- MORE` ran MORE, locally, because the fast path
// split at the first `--` while the full path ends swrole's options at the first word after the profile. Both now
// parse with src/registry/split-command-line.ts. Every argv shape runs through the full path, then through the fast
// path alone (a copy of dist/ without the exec command module: only a memoised hit can answer there), and the
// child, which prints its argv as JSON, must be the same command with the same arguments both times.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET } from '../helpers/emulator-world.js';
import { DIST, runSwrole, type RunResult, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
let clock: Record<string, string>;
let printer: string;
let marker: string;
let fastOnly: string;

const memoDir = () => join(box.stateDir, 'memo');
const memos = () => (statSync(memoDir(), { throwIfNoEntry: false }) ? readdirSync(memoDir()) : []);
const run = (args: string[], extra: Record<string, string>, dist?: string): Promise<RunResult> =>
  runSwrole(['exec', ...args], { ...box.env, ...clock, ...extra }, dist === undefined ? {} : { dist });

useEmulatorSandbox(async (fixture) => {
  ({ emu, box } = fixture);
  clock = { SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
  // Files edited in the last 2 s are not memoised: age them as a user's would be.
  const past = new Date(Date.now() - 60_000);
  for (const file of [box.configFile, box.credentialsFile]) utimesSync(file, past, past);
  printer = join(box.dir, 'print-argv');
  writeFileSync(printer, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`);
  chmodSync(printer, 0o755);
  marker = join(box.dir, 'ran-the-wrong-command');
  // The fast path alone: dist/ minus the command modules of the full path.
  fastOnly = join(box.dir, 'fast-only', 'swrole.js');
  cpSync(dirname(DIST), dirname(fastOnly), { recursive: true });
  for (const name of ['commands-exec.js', 'commands-process.js', 'commands-env.js']) rmSync(join(dirname(fastOnly), name));
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], { ...box.env, ...clock });
  assert.equal(login.code, 0, login.stderr);
});

interface Shape {
  /** `exec` arguments; P is the argv printer, M a file that must never be created, C the config file. */
  args: string[];
  /** The child's argv (after its own path) as it must print it; or the exit code when no child runs. */
  expect: string[] | number;
  /** Whether the fast path must answer the second run (every option allow-listed); else it must decline. */
  fast: boolean;
  env?: Record<string, string>;
}

const SHAPES: Shape[] = [
  { args: ['a', '--', 'P', 'x', 'y'], expect: ['x', 'y'], fast: true },
  { args: ['a', 'P', 'x', 'y'], expect: ['x', 'y'], fast: true },
  // the child's own `--`, with and without swrole's
  { args: ['a', 'P', 'bastion', '--', 'touch', 'M'], expect: ['bastion', '--', 'touch', 'M'], fast: true },
  { args: ['a', '--', 'P', 'bastion', '--', 'touch', 'M'], expect: ['bastion', '--', 'touch', 'M'], fast: true },
  { args: ['--profile=a', '--', 'P', '--', 'touch', 'M'], expect: ['--', 'touch', 'M'], fast: true },
  // the child's `-`-leading arguments, swrole's own flag names among them
  {
    args: ['a', 'P', '-h', '--help', '--debug', '--no-cache', '--region', 'x', '--bogus', '-f', 'json'],
    expect: ['-h', '--help', '--debug', '--no-cache', '--region', 'x', '--bogus', '-f', 'json'],
    fast: true,
  },
  { args: ['a', 'P', '-h'], expect: ['-h'], fast: true },
  // options after and before the profile, value flags in both spellings
  { args: ['a', '--region', 'us-east-1', 'P', 'x'], expect: ['x'], fast: true },
  { args: ['--region', 'us-east-1', 'a', 'P', 'x'], expect: ['x'], fast: true },
  { args: ['a', '--duration=1h', 'P', 'x'], expect: ['x'], fast: true },
  { args: ['a', '--duration', '3600', '--source-config', 'C', '--', 'P'], expect: [], fast: true },
  { args: ['a', '--read-only', 'P', 'ro'], expect: ['ro'], fast: true },
  // --profile instead of the positional: the first positional is the command
  { args: ['--profile', 'a', 'P', 'x'], expect: ['x'], fast: true },
  { args: ['a', '--profile', 'a', 'P'], expect: [], fast: true },
  // `--` before the profile ends swrole's arguments: the profile comes from AWS_PROFILE, the rest is the command
  { args: ['--', 'P', 'x'], expect: ['x'], fast: true, env: { AWS_PROFILE: 'a' } },
  { args: ['--', 'a', 'P', 'x'], expect: 127, fast: false, env: { AWS_PROFILE: 'a' } },
  // flags the memo cannot replay, or that nobody allow-listed: the full path, both times
  { args: ['a', '--debug', '--', 'P', 'x'], expect: ['x'], fast: false },
  { args: ['nomfa', '--no-cache', 'P', 'x'], expect: ['x'], fast: false },
  { args: ['a', '--force', '--', 'P'], expect: [], fast: false },
  { args: ['a', '--bogus', '--', 'P'], expect: 2, fast: false },
  { args: ['a', '--region', '--', 'P'], expect: 2, fast: false },
  { args: ['a'], expect: 2, fast: false },
];

const fill = (args: string[]) => args.map((a) => (a === 'P' ? printer : a === 'M' ? marker : a === 'C' ? box.configFile : a));

describe('exec: the full path and the fast path run the same command (issue 15)', () => {
  for (const shape of SHAPES) {
    it(`exec ${shape.args.join(' ')}${shape.env ? ` (${JSON.stringify(shape.env)})` : ''}`, async () => {
      const args = fill(shape.args);
      const env = shape.env ?? {};
      rmSync(memoDir(), { recursive: true, force: true });
      const full = await run(args, env);
      if (typeof shape.expect === 'number') {
        assert.equal(full.code, shape.expect, full.stderr);
        assert.equal(full.stdout, '');
      } else {
        assert.equal(full.code, 0, full.stderr);
        assert.deepEqual(JSON.parse(full.stdout), fill(shape.expect), 'the full path runs the intended command');
      }
      if (shape.fast) {
        assert.equal(memos().length, 1, 'the full path memoised swrole’s own arguments');
        const fast = await run(args, env, fastOnly);
        assert.equal(fast.code, full.code, `the fast path answered: ${fast.stderr}`);
        assert.equal(fast.stdout, full.stdout, 'the fast path runs the same command with the same arguments');
      } else {
        const again = await run(args, env);
        assert.equal(again.code, full.code, again.stderr);
        assert.equal(again.stdout, full.stdout);
        if (typeof shape.expect !== 'number') {
          assert.equal(memos().length, 0, 'an invocation the fast path may not replay is not memoised');
          const fast = await run(args, env, fastOnly);
          assert.equal(fast.stdout, '', 'the fast path declined (only the full path could answer)');
          assert.notEqual(fast.code, 0);
        }
      }
      assert.equal(existsSync(marker), false, 'nothing ran the command after the child’s `--`');
    });
  }
});
