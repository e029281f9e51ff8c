// Issue 15 (low), exit codes, from the built binary: an invalid region is a config error (3), not an STS failure
// (4); a deeply nested settings JSON is an integration error (6), not a RangeError reported as a bug (1); a
// credential_process-only profile needs no region, even with an STS endpoint URL configured (it makes no STS call).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ROLE_NO_MFA_ARN } from '../helpers/emulator-world.js';
import { runSwrole, type RunResult, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;

useEmulatorSandbox((fixture) => {
  ({ emu, box } = fixture);
  // Temporary credentials from a helper: nothing for STS to do (a profile of long-term keys would need a session).
  const temporary = join(box.dir, 'temporary.mjs');
  writeFileSync(
    temporary,
    `process.stdout.write(JSON.stringify({Version: 1, AccessKeyId: 'ASIAHELPERTEMPORARY1', SecretAccessKey: 'helperSecret', SessionToken: 'helperToken', Expiration: new Date(Date.now() + 3600e3).toISOString()}));\n`,
  );
  appendFileSync(
    box.configFile,
    `
[profile bad-region]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = us-east-1; rm -rf

[profile temp-proc]
credential_process = "${process.execPath}" "${temporary}"

[profile temp-proc-bad-region]
credential_process = "${process.execPath}" "${temporary}"
region = not a region

[profile keys-proc]
credential_process = "${process.execPath}" "${join(box.dir, 'proc.mjs')}"
`,
  );
});

const calls = () => Object.values(emu.counts()).reduce((a, b) => a + (b ?? 0), 0);

function assertError(r: RunResult, exit: number, code: string, message: RegExp, hint: RegExp): void {
  assert.equal(r.code, exit, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.match(r.stderr, hint);
  assert.match(r.stderr, new RegExp(`code: ${code}`));
  assert.doesNotMatch(r.stderr, /internal error|^\s+at /m, 'no stack');
}

describe('exit codes of configuration errors (issue 15)', () => {
  it('an invalid region is E_INVALID_REGION, exit 3, with no STS call: in the profile, AWS_REGION, --region', async () => {
    const before = calls();
    assertError(
      await runSwrole(['process', 'bad-region', '--debug'], box.env),
      3,
      'E_INVALID_REGION',
      /profile "bad-region": region "us-east-1; rm -rf" is not a valid region name/,
      /hint: a region looks like us-east-1/,
    );
    assertError(
      await runSwrole(['exec', 'nomfa', '--region', 'eu west 1', '--debug', '--', 'true'], box.env),
      3,
      'E_INVALID_REGION',
      /region "eu west 1" is not a valid region name/,
      /--region/,
    );
    assertError(
      await runSwrole(['env', 'nomfa', '--debug'], { ...box.env, AWS_REGION: '-eu-west-1' }),
      3,
      'E_INVALID_REGION',
      /region "-eu-west-1" is not a valid region name/,
      /AWS_REGION/,
    );
    assert.equal(calls(), before, 'nothing reached STS');
  });

  it('a credential_process-only profile needs no region (nor a valid one), with AWS_ENDPOINT_URL_STS set', async () => {
    assert.ok(box.env.AWS_ENDPOINT_URL_STS, 'an STS endpoint URL is configured');
    const before = calls();
    for (const profile of ['temp-proc', 'temp-proc-bad-region']) {
      const r = await runSwrole(['process', profile], box.env);
      assert.equal(r.code, 0, `${profile}: ${r.stderr}`);
      assert.equal((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId, 'ASIAHELPERTEMPORARY1');
      const env = await runSwrole(['env', profile, '--format', 'json'], box.env);
      assert.equal(env.code, 0, `${profile}: ${env.stderr}`);
    }
    assert.equal(calls(), before, 'no STS call');
    // Long-term keys from the helper need a session from STS: now the missing region is an error, exit 3.
    assertError(
      await runSwrole(['process', 'keys-proc', '--debug'], box.env),
      3,
      'E_NO_REGION',
      /profile "keys-proc": an STS endpoint URL is configured \(.+\) but no region/,
      /set `region` in the profile/,
    );
  });

  it('a deeply nested .claude/settings.local.json is E_SETTINGS_INVALID, exit 6, the file untouched', async () => {
    const project = join(box.dir, 'project');
    mkdirSync(join(project, '.claude'), { recursive: true });
    const settings = join(project, '.claude', 'settings.local.json');
    const deep = `{"permissions": {"allow": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}\n`;
    writeFileSync(settings, deep);
    assertError(
      await runSwrole(['agent', 'claude', 'nomfa', '--dir', project, '--debug'], box.env),
      6,
      'E_SETTINGS_INVALID',
      new RegExp(`${settings.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: not valid JSON: nested deeper than 512 levels`),
      /fix the file by hand/,
    );
    assert.equal(readFileSync(settings, 'utf8'), deep, 'untouched');
    // 512 levels are still read (and left as they are).
    const ok = `{"permissions": {"deny": ${'['.repeat(500)}${']'.repeat(500)}}}\n`;
    writeFileSync(settings, ok);
    const r = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], box.env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(settings, 'utf8').includes(`"deny": ${'['.repeat(500)}`));
  });
});
