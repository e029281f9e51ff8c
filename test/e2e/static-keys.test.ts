// Static keys stay at home (issue 10) and never reach an agent or a scoped request (issue 9 §1): the built
// binary, a profile of long-term IAM-user keys, the strict emulator counting and recording every STS call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import {
  BASE_ACCOUNT,
  MFA_SECRET,
  MFA_SERIAL,
  OTHER_USER_ARN,
  USER_ACCESS_KEY_ID,
  USER_SECRET_ACCESS_KEY,
} from '../helpers/emulator-world.js';
import { runSwrole, sampleCredentials, type Sandbox } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';
import { shlexSplit } from '../../src/config/shlex-split.js';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const PRINT_ENV = ['--', process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

let emu: EmulatorHandle;
let box: Sandbox;

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  USER: 'jane',
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, env(extra), { timeoutMs: 60_000 });
const calls = (action: string) => emu.calls().filter((c) => c.action === action);

/** Every value of a child's environment, checked: no long-term key id or secret, anywhere. */
function assertNoLongTermKey(text: string): void {
  assert.ok(!text.includes(USER_ACCESS_KEY_ID), 'the long-term key id reached the consumer');
  assert.ok(!text.includes(USER_SECRET_ACCESS_KEY), 'the long-term secret reached the consumer');
  assert.doesNotMatch(text, /AKIA[A-Z0-9]{16}/);
}

useEmulatorSandbox(
  (fixture) => {
    ({ emu, box } = fixture);
    writeFileSync(
      box.configFile,
      `${readFileSync(box.configFile, 'utf8')}
[profile base]
region = us-east-1

[profile base-mfa]
mfa_serial = ${MFA_SERIAL}
region = us-east-1

[profile other]
region = us-east-1
`,
    );
  },
  {
    credentials: `${sampleCredentials()}\n[base-mfa]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key = ${USER_SECRET_ACCESS_KEY}\n`,
  },
);

describe('static keys stay at home (e2e)', () => {
  it('exec: the child sees a GetSessionToken session (ASIA key + token), never the AKIA key; the next exec reuses it', async () => {
    const r = await swrole(['exec', 'base', ...PRINT_ENV]);
    assert.equal(r.code, 0, r.stderr);
    const child = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(child.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    assert.ok((child.AWS_SESSION_TOKEN ?? '').length > 20, 'a session token');
    assert.ok(child.AWS_CREDENTIAL_EXPIRATION, 'an expiry');
    assertNoLongTermKey(Object.values(child).join('\n'));
    const gst = calls('GetSessionToken');
    assert.equal(gst.length, 1);
    assert.equal(gst[0]!.params.DurationSeconds, '3600', 'a plain session lasts 1 h');
    assert.equal(gst[0]!.params.SerialNumber, undefined, 'no MFA: the profile has no mfa_serial');
    const again = await swrole(['exec', 'base', ...PRINT_ENV]);
    assert.equal((JSON.parse(again.stdout) as Record<string, string>).AWS_ACCESS_KEY_ID, child.AWS_ACCESS_KEY_ID);
    assert.equal(calls('GetSessionToken').length, 1, 'cached');
    const dotenv = await swrole(['env', 'base', '--format', 'json']);
    assert.equal((JSON.parse(dotenv.stdout) as Record<string, string>).AWS_ACCESS_KEY_ID, child.AWS_ACCESS_KEY_ID);
    assertNoLongTermKey(dotenv.stdout + dotenv.stderr);
  });

  it('--no-session hands out the long-term key itself, with a warning; refused together with a scope', async () => {
    const r = await swrole(['exec', 'base', '--no-session', ...PRINT_ENV]);
    assert.equal(r.code, 0, r.stderr);
    const child = JSON.parse(r.stdout) as Record<string, string>;
    assert.equal(child.AWS_ACCESS_KEY_ID, USER_ACCESS_KEY_ID);
    assert.equal(child.AWS_SESSION_TOKEN, undefined);
    assert.match(r.stderr, /warning: --no-session: profile "base" hands out its long-term key AKIA/);
    assert.ok(!r.stderr.includes(USER_SECRET_ACCESS_KEY));
    for (const scope of [['--read-only'], ['--agent', 'ci']]) {
      const refused = await swrole(['process', 'base', '--no-session', ...scope]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.equal(refused.stdout, '');
      assert.match(refused.stderr, /--no-session cannot be combined with --read-only, --policy or --agent/);
    }
  });

  it('20 parallel callers on a cold session: one GetSessionToken, one credential', async () => {
    const before = calls('GetSessionToken').length;
    const runs = await Promise.all(Array.from({ length: 20 }, () => swrole(['process', 'base', '--duration', '1800'])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.equal(new Set(runs.map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId)).size, 1);
    assert.equal(calls('GetSessionToken').length - before, 1);
    assert.equal(calls('GetSessionToken').at(-1)!.params.DurationSeconds, '1800');
  });

  it('--read-only: GetFederationToken with the ReadOnlyAccess ARN; the credentials are that federated user', async () => {
    const r = await swrole(['process', 'base', '--read-only']);
    assert.equal(r.code, 0, r.stderr);
    assertNoLongTermKey(r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { AccessKeyId: string; SessionToken: string };
    assert.match(out.AccessKeyId, /^ASIA/);
    const call = calls('GetFederationToken').at(-1)!;
    assert.equal(call.params.Name, 'swrole-jane');
    assert.equal(call.params['PolicyArns.member.1.arn'], READ_ONLY);
    assert.equal(call.params.DurationSeconds, '3600');
    assert.deepEqual(call.issued?.permissions.sessionPolicy, { policy: null, policyArns: [READ_ONLY] });
    assert.equal(call.issued?.permissions.effective, 'principal ∩ session policy');
    const who = await swrole(['whoami', 'base', '--read-only', '--json']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal((JSON.parse(who.stdout) as { Arn: string }).Arn, `arn:aws:sts::${BASE_ACCOUNT}:federated-user/swrole-jane`);
    assert.equal(calls('GetFederationToken').length, 1, 'whoami found the cached federated session');
  });

  it('--policy FILE: GetFederationToken with the inline policy, its own cache entry', async () => {
    const file = join(box.dir, 'policy.json');
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:List*', Resource: '*' }] };
    writeFileSync(file, JSON.stringify(policy, null, 2));
    const r = await swrole(['process', 'base', '--policy', file]);
    assert.equal(r.code, 0, r.stderr);
    const call = calls('GetFederationToken').at(-1)!;
    assert.deepEqual(JSON.parse(call.params.Policy ?? ''), policy);
    assert.equal(call.params['PolicyArns.member.1.arn'], undefined);
    assert.equal(calls('GetFederationToken').length, 2, 'not the --read-only session');
  });

  it('an agent view of a static-key profile with --read-only: no AKIA key ever reaches the agent, STS saw the policy and the agent tag', async () => {
    const r = await swrole(['agent', 'env', 'base', '--read-only', '--agent', 'ci', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const vars = JSON.parse(r.stdout) as Record<string, string>;
    // Run the view's credential_process exactly as the agent's AWS tools do.
    const line = /^credential_process = (.*)$/m.exec(readFileSync(vars.AWS_CONFIG_FILE!, 'utf8'))![1]!;
    const [file, ...args] = shlexSplit(line)!;
    const viewEnv = { ...env(), ...vars };
    const got = await runDetached(file!, args, viewEnv);
    assert.equal(got.code, 0, got.stderr);
    assertNoLongTermKey(got.stdout + got.stderr + r.stdout + r.stderr);
    assert.match((JSON.parse(got.stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);
    const call = calls('GetFederationToken').at(-1)!;
    assert.equal(call.params.Name, 'swrole-jane-ci');
    assert.equal(call.params['PolicyArns.member.1.arn'], READ_ONLY);
    assert.equal(call.params['Tags.member.1.Key'], 'swrole:agent');
    assert.equal(call.params['Tags.member.1.Value'], 'ci');
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], viewEnv, '', 60_000);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(cli.stdout.trim(), `arn:aws:sts::${BASE_ACCOUNT}:federated-user/swrole-jane-ci`);
  });

  it('a user whose own policy lacks sts:TagSession: the scoped session goes without the agent tag, one warning, remembered', async () => {
    const r = await swrole(['process', 'other', '--read-only', '--agent', 'ci']);
    assert.equal(r.code, 0, r.stderr);
    const [refused, ok] = calls('GetFederationToken').filter((c) => c.callerArn === OTHER_USER_ARN);
    assert.equal(refused?.code, 'AccessDenied');
    assert.equal(refused?.params['Tags.member.1.Key'], 'swrole:agent');
    assert.equal(ok?.code, 'OK');
    assert.equal(ok?.params['Tags.member.1.Key'], undefined);
    assert.match(
      r.stderr,
      /warning: your IAM user's policies do not allow sts:TagSession: this session goes without the swrole:agent session tag/,
    );
    assert.match(r.stderr, /add "sts:TagSession" to the IAM user's own policy/);
    const again = await swrole(['process', 'other', '--read-only', '--agent', 'ci', '--no-cache']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
    assert.deepEqual(
      calls('GetFederationToken')
        .filter((c) => c.callerArn === OTHER_USER_ARN)
        .map((c) => c.code),
      ['AccessDenied', 'OK', 'OK'],
    );
  });

  it('mfa_serial on the keys: exec needs `swrole login`, then hands out the MFA session; a scoped session warns it has no MFA', async () => {
    const before = await swrole(['process', 'base-mfa']);
    assert.equal(before.code, 4);
    assert.match(before.stderr, /swrole login base-mfa/);
    emu.advance(30);
    const login = await swrole(['login', 'base-mfa', '--mfa-code', totp(MFA_SECRET, emu.now())]);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, new RegExp(`MFA session started for ${MFA_SERIAL}`));
    const mfa = calls('GetSessionToken').at(-1)!;
    const sessions = calls('GetSessionToken').length;
    assert.equal(mfa.params.SerialNumber, MFA_SERIAL);
    assert.equal(mfa.issued?.mfa, true);
    const r = await swrole(['exec', 'base-mfa', ...PRINT_ENV]);
    assert.equal(r.code, 0, r.stderr);
    const child = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(child.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    assertNoLongTermKey(Object.values(child).join('\n'));
    assert.equal(calls('GetSessionToken').length, sessions, 'exec handed out the MFA session login started');
    const scoped = await swrole(['process', 'base-mfa', '--read-only']);
    assert.equal(scoped.code, 0, scoped.stderr);
    assert.match(scoped.stderr, /warning: profile "base-mfa" has mfa_serial, but a scoped session .* carries no MFA/);
  });

  it('a scope that cannot apply fails: --read-only on a web identity profile (no role to scope) → E_SCOPE_UNSUPPORTED', async () => {
    const before = emu.calls().length;
    const r = await swrole(['process', 'web', '--read-only', '--debug']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /profile "web": --read-only cannot be applied/);
    assert.match(r.stderr, /E_SCOPE_UNSUPPORTED/);
    assert.equal(emu.calls().length, before, 'no STS call');
  });

  it('explain says what is handed out', async () => {
    const r = await swrole(['explain', 'base']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /→ hands out: a GetSessionToken session \(1 h, cached\), never the long-term key/);
    const mfa = await swrole(['explain', 'base-mfa']);
    assert.match(mfa.stdout, /→ hands out: the MFA session of arn:aws:iam::\d+:mfa\/example\.user/);
  });
});
