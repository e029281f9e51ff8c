// `swrole agent env` for other agents/CI, the statusline, and scope flag errors, against the built binary.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, sampleWorld } from '../helpers/emulator-world.js';
import { ensureBuilt, runSwrole, sampleConfig, writeUserAwsFiles } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';

let emu: EmulatorHandle;
let dir: string;
let home: string;
const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_ENDPOINT_URL_STS: emu.url,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});

before(async () => {
  ensureBuilt();
  emu = await startEmulator({ world: sampleWorld() });
  dir = mkdtempSync(join(tmpdir(), 'swrole-agent-env-e2e-'));
  home = join(dir, 'home');
  writeUserAwsFiles(home, sampleConfig(dir));
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], env());
  assert.equal(login.code, 0, login.stderr);
});
after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('swrole agent env / statusline / scope flags (e2e)', () => {
  it('agent env prints only paths and a profile; the aws CLI gets a scoped session through them', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:List*', Resource: '*' }] }, null, 2),
    );
    const r = await runSwrole(['agent', 'env', 'a', 'nomfa', '--agent', 'ci', '--policy', policy, '--format', 'json'], env());
    assert.equal(r.code, 0, r.stderr);
    const vars = JSON.parse(r.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(vars).sort(), ['AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE']);
    assert.equal(vars.AWS_PROFILE, 'a');
    assert.doesNotMatch(r.stdout + r.stderr, /ASIA|AKIA/);
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], { ...env(vars) });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/swrole-.*-ci$`));
    const call = emu
      .calls()
      .filter((c) => c.action === 'AssumeRole')
      .at(-1)!;
    assert.deepEqual(JSON.parse(call.params.Policy ?? '{}'), JSON.parse(readFileSync(policy, 'utf8')));
    assert.equal(call.params['Tags.member.1.Value'], 'ci');
    const sh = await runSwrole(['agent', 'env', 'a', 'nomfa', '--agent', 'ci', '--policy', policy], env());
    assert.match(sh.stdout, /^unset AWS_ACCESS_KEY_ID$/m, 'keys that would shadow the profile are unset');
    assert.match(
      sh.stdout,
      new RegExp(`^export AWS_CONFIG_FILE='?${vars.AWS_CONFIG_FILE!.replace(/[.]/g, '\\.')}'?$`, 'm'),
      'same grant, same view',
    );
  });

  it('a bad --policy fails before any STS call with E_POLICY_INVALID, exit 3', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"Statement": []}');
    const before = emu.calls().length;
    for (const args of [
      ['process', 'a', '--policy', bad],
      ['agent', 'claude', 'a', '--policy', bad, '--dir', dir],
    ]) {
      const r = await runSwrole(args, env());
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /session policy .*bad\.json/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal(emu.calls().length, before);
  });

  it('login and whoami honour the scope flags: login --read-only pre-fetches the session process --read-only then uses', async () => {
    const assumes = () => emu.calls().filter((c) => c.action === 'AssumeRole' && c.code === 'OK');
    const login = await runSwrole(['login', 'a', '--read-only'], env());
    assert.equal(login.code, 0, login.stderr);
    const fetched = assumes();
    assert.equal(fetched.at(-1)!.params['PolicyArns.member.1.arn'], 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    const proc = await runSwrole(['process', 'a', '--read-only'], env());
    assert.equal(proc.code, 0, proc.stderr);
    const who = await runSwrole(['whoami', 'a', '--read-only', '--json'], env());
    assert.equal(who.code, 0, who.stderr);
    assert.equal(assumes().length, fetched.length, 'process and whoami found the session login fetched');
  });

  it('statusline shows role, account and time left from the cache, without an STS call', async () => {
    const p = join(dir, 'proj');
    mkdirSync(p);
    assert.equal((await runSwrole(['agent', 'claude', 'a', '--read-only', '--dir', p], env())).code, 0);
    const first = await runSwrole(['agent', 'statusline'], env({ CLAUDE_PROJECT_DIR: p }));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^aws: a ro · no session yet/);
    const settings = JSON.parse(readFileSync(join(p, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> };
    const cli = await runDetached('aws', ['sts', 'get-caller-identity'], { ...env(settings.env) });
    assert.equal(cli.code, 0, cli.stderr);
    const before = emu.calls().length;
    const line = await runSwrole(['agent', 'statusline'], env({ CLAUDE_PROJECT_DIR: p, ...settings.env }));
    assert.match(line.stdout, new RegExp(`^aws: a ro · RoleA@${ACCOUNT_A} · \\d+m left\\n$`));
    assert.equal(emu.calls().length, before);
  });
});
