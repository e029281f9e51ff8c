// Third-party consumers of what swrole hands out: the image's `aws` CLI v1 and boto3, each in a fresh
// process, through `credential_process = node dist/swrole.js process X`, `swrole exec`, and the env formats.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET } from '../helpers/emulator-world.js';
import { DIST, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';

let emu: EmulatorHandle;
let box: Sandbox;
let env: Record<string, string>;

useEmulatorSandbox(async (fixture) => {
  ({ emu, box } = fixture);
  appendFileSync(
    box.configFile,
    `
[profile a.swrole]
credential_process = "${process.execPath}" "${DIST}" process a
region = us-east-1
`,
  );
  env = { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())), AWS_DEFAULT_REGION: 'us-east-1' };
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], env);
  assert.equal(login.code, 0, login.stderr);
});

function callerArnOf(stdout: string): string {
  return (JSON.parse(stdout) as { Arn: string }).Arn;
}

describe('interop: aws CLI and boto3 consume swrole', () => {
  it('aws sts get-caller-identity --profile a.swrole (credential_process)', async () => {
    const r = await runDetached('aws', ['sts', 'get-caller-identity', '--profile', 'a.swrole', '--output', 'json'], env, '', 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(callerArnOf(r.stdout), new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/`));
  });

  it('boto3 Session(profile_name="a.swrole") gets the assumed-role identity', async () => {
    const code = `import boto3, json; print(json.dumps(boto3.Session(profile_name="a.swrole").client("sts").get_caller_identity()))`;
    const r = await runDetached('python3', ['-c', code], env, '', 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(callerArnOf(r.stdout), /assumed-role\/RoleA\//);
  });

  it('swrole exec a -- aws sts get-caller-identity', async () => {
    const r = await runSwrole(['exec', 'a', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], env, { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(callerArnOf(r.stdout), /assumed-role\/RoleA\//);
  });

  it('eval "$(swrole env a)" in bash, dotenv and json give the same keys', async () => {
    const bash = await runDetached(
      'bash',
      [
        '-c',
        `eval "$("${process.execPath}" "${DIST}" env a)" && echo "$AWS_ACCESS_KEY_ID|$AWS_SECRET_ACCESS_KEY|$AWS_SESSION_TOKEN|\${AWS_PROFILE-unset}"`,
      ],
      { ...env, AWS_PROFILE: 'stale' },
      '',
      60_000,
    );
    assert.equal(bash.code, 0, bash.stderr);
    const [id, secret, token, profile] = bash.stdout.trim().split('|');
    assert.equal(profile, 'unset');
    const json = JSON.parse((await runSwrole(['env', 'a', '--format', 'json'], env)).stdout) as Record<string, string>;
    const dotenv = (await runSwrole(['env', 'a', '--format', 'dotenv'], env)).stdout;
    const parsedDotenv = Object.fromEntries(
      dotenv
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [
          l.slice(0, l.indexOf('=')),
          l
            .slice(l.indexOf('=') + 1)
            .replace(/^"|"$/g, '')
            .replace(/^'|'$/g, ''),
        ]),
    );
    for (const values of [json, parsedDotenv]) {
      assert.equal(values.AWS_ACCESS_KEY_ID, id);
      assert.equal(values.AWS_SECRET_ACCESS_KEY, secret);
      assert.equal(values.AWS_SESSION_TOKEN, token);
    }
  });
});
