// The hit memo's fast path (src/cli/fast-path.ts) must answer exactly as the full path does, and must step
// aside whenever anything it depended on changed: a config edit, a logout, a different env or flag.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET } from '../helpers/emulator-world.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
let clock: Record<string, string>;

const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, { ...box.env, ...clock, ...extra });
/** Files edited in the last 2 s are not memoised (they may still be changing): age them as a user's would be. */
const settle = (...files: string[]) => {
  const past = new Date(Date.now() - 60_000);
  for (const file of files) utimesSync(file, past, past);
};
const memoDir = () => join(box.stateDir, 'memo');
const memos = () => (statSync(memoDir(), { throwIfNoEntry: false }) ? readdirSync(memoDir()) : []);
const auditLines = () =>
  readFileSync(join(box.stateDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

useEmulatorSandbox(async (fixture) => {
  ({ emu, box } = fixture);
  clock = { SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
  settle(box.configFile, box.credentialsFile);
  const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
  assert.equal(login.code, 0, login.stderr);
});

describe('cache-hit fast path (hit memo)', () => {
  it('answers process, env (every format) and exec exactly as the full path does', async () => {
    const cases = [
      ['process', 'a'],
      ['env', 'a'],
      ['env', 'a', '--format', 'json'],
      ['env', 'a', '-f', 'dotenv'],
      ['env', 'a', '--format=fish'],
      ['env', 'a', '--format', 'sh', '--names-comment'],
      ['env', '--names-comment', '-f', 'pwsh', 'a'],
    ];
    for (const args of cases) {
      rmSync(memoDir(), { recursive: true, force: true });
      const full = await swrole(args);
      assert.equal(full.code, 0, full.stderr);
      assert.equal(memos().length, 1, `the full path memoised ${args.join(' ')}`);
      const fast = await swrole(args);
      assert.equal(fast.code, 0, fast.stderr);
      assert.equal(fast.stdout, full.stdout, `${args.join(' ')}: same bytes on stdout`);
      assert.equal(fast.stderr, full.stderr);
    }
    const script =
      'process.stdout.write(JSON.stringify([process.env.AWS_ACCESS_KEY_ID, process.env.AWS_REGION, process.env.SWROLE_PROFILE, process.env.AWS_PROFILE ?? null]))';
    const execFull = await swrole(['exec', 'a', '--', process.execPath, '-e', script], { AWS_PROFILE: 'stale' });
    const execFast = await swrole(['exec', 'a', '--', process.execPath, '-e', script], { AWS_PROFILE: 'stale' });
    assert.equal(execFull.code, 0, execFull.stderr);
    assert.equal(execFast.stdout, execFull.stdout);
    assert.match(execFast.stdout, /^\["ASIA[A-Z0-9]+","us-east-1","a",null\]$/);
    const exit = await swrole(['exec', 'a', '--', process.execPath, '-e', 'process.exit(7)']);
    assert.equal(exit.code, 7, 'the child exit code is mirrored on the fast path too');
  });

  it('records every fast-path issuance in the audit log as a hit, without secrets', async () => {
    const before = auditLines().length;
    const r = await swrole(['process', 'a']);
    assert.equal(r.code, 0);
    const lines = auditLines();
    assert.equal(lines.length, before + 1);
    const last = lines[lines.length - 1]!;
    assert.equal(last.source, 'hit');
    assert.equal(last.command, 'process');
    assert.equal(last.profile, 'a');
    assert.doesNotMatch(JSON.stringify(last), /ASIA|AKIA|SecretAccessKey/);
  });

  it('steps aside when the config changes: the new region is served at once', async () => {
    const before = (await swrole(['env', 'a', '--format', 'json'])).stdout;
    assert.equal(JSON.parse(before).AWS_REGION, 'us-east-1');
    const config = readFileSync(box.configFile, 'utf8');
    const edited = config.replace(/(\[profile a\][^[]*?region = )us-east-1/, '$1eu-west-3');
    assert.notEqual(edited, config, 'the sample config has profile a with region us-east-1');
    writeFileSync(box.configFile, edited);
    rmSync(memoDir(), { recursive: true, force: true });
    const after = await swrole(['env', 'a', '--format', 'json']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).AWS_REGION, 'eu-west-3');
    assert.deepEqual(memos(), [], 'a config edited a moment ago is not memoised yet');
    writeFileSync(box.configFile, config);
    settle(box.configFile);
  });

  it('steps aside after logout: no stale credentials, the full path reports the MFA need', async () => {
    assert.equal((await swrole(['process', 'a'])).code, 0);
    assert.equal((await swrole(['logout', 'a'])).code, 0);
    const r = await swrole(['process', 'a']);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /swrole login a/);
    assert.ok(memos().length > 0);
    assert.equal((await swrole(['logout', '--all'])).code, 0);
    assert.deepEqual(memos(), [], 'logout --all drops the hit memos with the sessions');
  });

  it('never replays flags it cannot honour (--debug goes through the full path)', async () => {
    const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now() + 30_000)]);
    assert.equal(login.code, 0, login.stderr);
    await swrole(['process', 'a']);
    const debug = await swrole(['process', 'a', '--debug']);
    assert.equal(debug.code, 0, debug.stderr);
    assert.match(debug.stderr, /cache: hit/);
  });

  it('an edited session policy file is never answered from the old session (cache key holds its content)', async () => {
    const policy = join(box.dir, 'policy.json');
    const allow = (action: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    writeFileSync(policy, allow('s3:List*'));
    const assumes = () => emu.calls().filter((c) => c.action === 'AssumeRole' && c.code === 'OK');
    const start = assumes().length;
    for (let i = 0; i < 3; i++) assert.equal((await swrole(['process', 'nomfa', '--policy', policy])).code, 0);
    assert.equal(assumes().length, start + 1, 'one AssumeRole, then hits');
    writeFileSync(policy, allow('ec2:Describe*'));
    const r = await swrole(['process', 'nomfa', '--policy', policy]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(assumes().length, start + 2, 'the edited policy caused a new AssumeRole');
    assert.match(assumes().at(-1)!.params.Policy ?? '', /ec2:Describe/);
  });

  it('a profile of long-term keys: its GetSessionToken / GetFederationToken sessions are memoised like role sessions', async () => {
    const region = { AWS_REGION: 'us-east-1' };
    const count = (action: string) => emu.calls().filter((c) => c.action === action && c.code === 'OK').length;
    for (const [args, action] of [
      [['process', 'base'], 'GetSessionToken'],
      [['process', 'base', '--read-only', '--agent', 'ci'], 'GetFederationToken'],
    ] as const) {
      rmSync(memoDir(), { recursive: true, force: true });
      const before = count(action);
      const full = await swrole([...args], region);
      assert.equal(full.code, 0, full.stderr);
      assert.match(JSON.parse(full.stdout).AccessKeyId, /^ASIA/);
      assert.equal(count(action), before + 1);
      assert.equal(memos().length, 1, `the full path memoised ${args.join(' ')}`);
      const fast = await swrole([...args], region);
      assert.equal(fast.stdout, full.stdout);
      assert.equal(count(action), before + 1, 'no STS call');
    }
    const line = auditLines().at(-1)!;
    assert.equal(line.source, 'hit');
    assert.equal(line.readOnly, true);
  });
});
