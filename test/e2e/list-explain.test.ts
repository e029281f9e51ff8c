// `swrole list` and `swrole explain` as a user runs them: the built binary, a temp HOME, real files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../helpers/swrole-run.js';

const BIN = join(import.meta.dirname, '../../dist/swrole.js');
let home: string;

const CONFIG = `[default]
region = eu-west-1

[profile prod]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/me
region = eu-central-1

[profile "Access CustomerA"]
role_arn = arn:aws:iam::210987654321:role/ReadOnly
source_profile = prod
duration_seconds = 3600

[profile broken]
role_arn = arn:aws:iam::123456789012:role/x
source_profile = nowhere

[profile tool]
credential_process = /usr/bin/true
`;
const CREDENTIALS = `[base]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = do-not-print-this-secret
`;

function swrole(args: string[], env: Record<string, string> = {}) {
  const out = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? '', HOME: home, SWROLE_NO_PROMPT: '1', ...env },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

before(() => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'swrole-e2e-list-'));
  mkdirSync(join(home, '.aws'), { mode: 0o700 });
  writeFileSync(join(home, '.aws', 'config'), CONFIG);
  writeFileSync(join(home, '.aws', 'credentials'), CREDENTIALS, { mode: 0o600 });
});
after(() => rmSync(home, { recursive: true, force: true }));

test('list: a table of every profile; the bad one is "invalid" and the list survives it', () => {
  const r = swrole(['list']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^PROFILE\s+KIND\s+ROLE\s+ACCOUNT\s+SOURCE\s+MFA\s+REGION$/);
  const row = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
  assert.match(
    row('prod'),
    /role\s+arn:aws:iam::123456789012:role\/admin\s+123456789012\s+base\s+arn:aws:iam::111111111111:mfa\/me\s+eu-central-1/,
  );
  assert.match(row('Access CustomerA'), /role .*210987654321\s+prod/);
  assert.match(row('broken'), /invalid/);
  assert.match(row('tool'), /process/);
  assert.match(row('base'), /static/);
  assert.match(row('default'), /none/);
  assert.match(r.stderr, /1 invalid profile\(s\): "broken"/);
  assert.doesNotMatch(r.stdout + r.stderr, /do-not-print-this-secret/);
});

test('list --json: one object per profile, with the error of an invalid one', () => {
  const r = swrole(['list', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const { profiles } = JSON.parse(r.stdout) as {
    profiles: { profile: string; kind: string; account: string | null; error: { code: string } | null }[];
  };
  assert.deepEqual(
    profiles.map((p) => [p.profile, p.kind]),
    [
      ['default', 'none'],
      ['prod', 'role'],
      ['Access CustomerA', 'role'],
      ['broken', 'invalid'],
      ['tool', 'process'],
      ['base', 'static'],
    ],
  );
  assert.equal(profiles.find((p) => p.profile === 'broken')?.error?.code, 'E_SOURCE_PROFILE_NOT_FOUND');
});

test('explain --json: the exact contract, steps from the source to the profile', () => {
  const r = swrole(['explain', 'Access CustomerA', '--json']);
  assert.equal(r.code, 0, r.stderr);
  // The config warning (a quoted name the SDK for JS ignores) goes to stderr with file:line, once.
  assert.match(r.stderr, /^swrole: warning: .*\.aws\/config:10: .*Access CustomerA.*\n$/);
  assert.deepEqual(JSON.parse(r.stdout), {
    profile: 'Access CustomerA',
    region: null,
    steps: [
      { profile: 'base', kind: 'static' },
      {
        profile: 'prod',
        kind: 'assumeRole',
        roleArn: 'arn:aws:iam::123456789012:role/admin',
        mfaSerial: 'arn:aws:iam::111111111111:mfa/me',
        externalId: null,
        durationSeconds: null,
        roleSessionName: null,
      },
      {
        profile: 'Access CustomerA',
        kind: 'assumeRole',
        roleArn: 'arn:aws:iam::210987654321:role/ReadOnly',
        mfaSerial: null,
        externalId: null,
        durationSeconds: 3600,
        roleSessionName: null,
      },
    ],
  });
});

test('explain: profile from AWS_PROFILE, --region wins, text shows file:line of each profile', () => {
  const r = swrole(['explain', '--region', 'ap-south-1'], { AWS_PROFILE: 'prod' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^profile "prod" \(region: ap-south-1\)\n/);
  assert.match(r.stdout, /1\. \[base\] static keys from the credentials file .*\.aws\/credentials:1/);
  assert.match(
    r.stdout,
    /2\. \[prod\] AssumeRole arn:aws:iam::123456789012:role\/admin \(MFA arn:aws:iam::111111111111:mfa\/me\) .*\.aws\/config:4/,
  );
  assert.doesNotMatch(r.stdout, /do-not-print-this-secret|AKIDEXAMPLE/);
});

test('explain: a config error → exit 3, nothing on stdout, message and hint on stderr, no stack', () => {
  const r = swrole(['explain', 'broken', '--json']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /swrole: the source_profile "nowhere" referenced in profile "broken" does not exist\n {2}hint: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const missing = swrole(['explain', 'nope']);
  assert.equal(missing.code, 3);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /nope/);
});

test('list with no profiles at all: nothing on stdout, a message naming both files; --json gives an empty list', () => {
  const empty = join(home, 'empty-config');
  writeFileSync(empty, '');
  const env = { AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-such-credentials') };
  const r = swrole(['list'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /no profiles in .*empty-config or .*no-such-credentials/);
  const json = swrole(['list', '--json'], env);
  assert.deepEqual(JSON.parse(json.stdout), { profiles: [] });
});

test('a file that does not parse → exit 3 for list and explain, empty stdout', () => {
  const bad = join(home, 'bad-config');
  writeFileSync(bad, '[profile a]\nregion = x\nthis line has no separator\n');
  for (const args of [['list'], ['explain', 'a']]) {
    const r = swrole(args, { AWS_CONFIG_FILE: bad });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /bad-config/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('help: --help for both commands shows usage and examples on stdout', () => {
  for (const command of ['list', 'explain']) {
    const r = swrole([command, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^Usage: swrole ${command}`));
    assert.match(r.stdout, /Examples:\n {2}swrole /);
  }
  const top = swrole(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /list .*\n.*explain /);
});

test('usage errors: unknown flag and unknown command → exit 2, no stack', () => {
  const flag = swrole(['explain', '--frobnicate']);
  assert.equal(flag.code, 2);
  assert.equal(flag.stdout, '');
  assert.match(flag.stderr, /explain: .*--frobnicate/);
  assert.doesNotMatch(flag.stderr, /\n\s+at /);
  const listFlag = swrole(['list', '--yaml']);
  assert.equal(listFlag.code, 2);
  const command = swrole(['lsit']);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /unknown command "lsit"/);
  const two = swrole(['explain', 'a', '--profile', 'b']);
  assert.equal(two.code, 2);
});
