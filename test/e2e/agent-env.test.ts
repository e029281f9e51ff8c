// `swrole agent env` for other agents/CI, the statusline, and scope flag errors, against the built binary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { DIST, runSwrole, sampleConfig, writeUserAwsFiles } from '../helpers/swrole-run.js';
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

useEmulatorSandbox(async (fixture) => {
  emu = fixture.emu;
  ({ dir, home } = fixture.box);
  writeUserAwsFiles(home, sampleConfig(dir));
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], env());
  assert.equal(login.code, 0, login.stderr);
});

describe('swrole agent env / statusline / scope flags (e2e)', () => {
  it('agent env prints only paths and a profile (key variables unset or blank); the grant is issued once; the aws CLI gets a scoped session through them', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:List*', Resource: '*' }] }, null, 2),
    );
    const assumes = () => emu.calls().filter((c) => c.action === 'AssumeRole' && c.code === 'OK');
    const start = assumes().length;
    const r = await runSwrole(['agent', 'env', 'a', 'nomfa', '--agent', 'ci', '--policy', policy, '--format', 'json'], env());
    assert.equal(r.code, 0, r.stderr);
    const vars = JSON.parse(r.stdout) as Record<string, string>;
    assert.deepEqual(
      { ...vars },
      {
        AWS_CONFIG_FILE: vars.AWS_CONFIG_FILE,
        AWS_SHARED_CREDENTIALS_FILE: vars.AWS_SHARED_CREDENTIALS_FILE,
        AWS_PROFILE: 'a@agent',
        AWS_DEFAULT_PROFILE: 'a@agent',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_SECURITY_TOKEN: '',
        AWS_CREDENTIAL_EXPIRATION: '',
      },
    );
    assert.doesNotMatch(r.stdout + r.stderr, /ASIA|AKIA/);
    assert.match(r.stderr, /^swrole: {3}a ready \(\d+m left, renewed by itself\)$/m);
    assert.match(r.stderr, /^swrole: {3}nomfa ready /m);
    // The test issuance: one AssumeRole per granted profile, with the scope the agent gets.
    const issued = assumes().slice(start);
    assert.equal(issued.length, 2, 'each granted profile issued once, before anything is printed');
    for (const call of issued) {
      assert.deepEqual(JSON.parse(call.params.Policy ?? '{}'), JSON.parse(readFileSync(policy, 'utf8')));
      assert.equal(call.params['Tags.member.1.Value'], 'ci');
    }
    // The launching shell's keys and default profile lose to the blanks.
    const shadowed = { AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY, AWS_DEFAULT_PROFILE: 'other' };
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], {
      ...env(shadowed),
      ...vars,
    });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/swrole-.*-ci$`));
    assert.equal(assumes().length - start, 2, "the agent's first call is a cache hit of the test issuance");

    // sh: a real shell unsets the key variables (no blank exports), and the same grant gives the same view.
    const sh = await runSwrole(['agent', 'env', 'a', 'nomfa', '--agent', 'ci', '--policy', policy], env());
    assert.equal(sh.code, 0, sh.stderr);
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_SECURITY_TOKEN',
      'AWS_CREDENTIAL_EXPIRATION',
    ]) {
      assert.match(sh.stdout, new RegExp(`^unset ${name}$`, 'm'), `${name} is unset`);
      assert.doesNotMatch(sh.stdout, new RegExp(`^export ${name}=`, 'm'));
    }
    assert.match(sh.stdout, /^export AWS_DEFAULT_PROFILE='?a@agent'?$/m);
    assert.doesNotMatch(sh.stdout, /^unset AWS_DEFAULT_PROFILE$/m);
    assert.match(
      sh.stdout,
      new RegExp(`^export AWS_CONFIG_FILE='?${vars.AWS_CONFIG_FILE!.replace(/[.]/g, '\\.')}'?$`, 'm'),
      'same grant, same view',
    );
    const evaluated = await runDetached(
      'bash',
      ['-c', `${sh.stdout}\naws sts get-caller-identity --query Arn --output text`],
      env(shadowed),
    );
    assert.equal(evaluated.code, 0, evaluated.stderr);
    assert.match(evaluated.stdout.trim(), /assumed-role\/RoleA\/swrole-.*-ci$/);
    assert.doesNotMatch(sh.stderr, /Gemini/, 'the Gemini CLI notes are for --format dotenv');
  });

  it('agent env --format dotenv says what Gemini CLI does with .gemini/.env (trusted folders only, the first env file only, shell exports win)', async () => {
    const r = await runSwrole(['agent', 'env', 'a', '--agent', 'gemini', '--format', 'dotenv'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^AWS_PROFILE="?a@agent"?$/m);
    assert.match(r.stdout, /^AWS_ACCESS_KEY_ID=(""|)$/m, 'dotenv cannot unset: the key variables are blank');
    assert.match(r.stderr, /only in a trusted folder/);
    assert.match(r.stderr, /only the first env file .*hides the project's \.env/);
    assert.match(r.stderr, /never overrides a variable already set in the shell/);
    assert.doesNotMatch(r.stdout, /Gemini|trusted/, 'the notes go to stderr, never into the file');
  });

  it('agent env refuses inside an agent (a human-only command): E_HUMAN_ONLY, exit 2, nothing printed or issued', async () => {
    const before = emu.calls().length;
    for (const marker of ['CLAUDECODE', 'GEMINI_CLI', 'COPILOT_CLI']) {
      const r = await runSwrole(['agent', 'env', 'a', '--debug'], env({ [marker]: '1' }));
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /`swrole agent env` is for you, not for an agent/);
      assert.match(r.stderr, /code: E_HUMAN_ONLY/);
    }
    // The user's long-term keys are theirs too: an agent cannot store, move, delete or rotate them.
    for (const sub of ['add', 'import', 'remove', 'rotate']) {
      const r = await runSwrole(['keys', sub, 'a', '--debug'], env({ CLAUDECODE: '1' }));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`\`swrole keys ${sub}\` is for you, not for an agent`));
      assert.match(r.stderr, /code: E_HUMAN_ONLY/);
    }
    assert.equal(emu.calls().length, before);
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

  it('statusline: role, account and time left from the cache (no STS call), from a subdirectory too; then the MFA session, and "swrole login" only once that has ended', async () => {
    const p = join(dir, 'proj');
    mkdirSync(join(p, 'src'), { recursive: true });
    const grant = await runSwrole(['agent', 'claude', 'a', '--read-only', '--dir', p], env());
    assert.equal(grant.code, 0, grant.stderr);
    const settings = JSON.parse(readFileSync(join(p, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> };
    // Claude Code runs the statusLine with the settings env and the session JSON on stdin (project_dir: the launch directory).
    const statusLine = (launchDir: string) =>
      runDetached(
        process.execPath,
        [DIST, 'agent', 'statusline'],
        env(settings.env),
        JSON.stringify({ workspace: { current_dir: launchDir, project_dir: launchDir }, cwd: launchDir }),
      );
    const before = emu.calls().length;
    for (const launchDir of [p, join(p, 'src')]) {
      const line = await statusLine(launchDir);
      assert.equal(line.code, 0, line.stderr);
      // The grant's test issuance cached the session: the statusLine shows it at once.
      assert.match(line.stdout, new RegExp(`^aws: a ro · RoleA@${ACCOUNT_A} · (59|60)m left · MFA 11h \\d+m left\\n$`), launchDir);
    }
    assert.equal(emu.calls().length, before, 'the statusLine makes no AWS call');

    // The role session ended, the MFA session did not: the next AWS call renews it without anyone.
    emu.advance(61 * 60);
    const renew = await statusLine(p);
    assert.match(renew.stdout, /^aws: a ro · renews on next use · MFA 10h \d+m left\n$/);
    assert.doesNotMatch(renew.stdout, /login/);

    // The MFA session ended too: now (and only now) a human must log in.
    emu.advance(11 * 3600);
    const login = await statusLine(p);
    assert.equal(login.stdout, 'aws: a ro · MFA needed: run `swrole login a` in your terminal\n');
    assert.equal(emu.calls().length, before);
  });
});
