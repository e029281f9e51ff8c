// Issue 13, "Who am I now?": after `swrole use X` (or inside `swrole exec X -- …`), `swrole whoami` without a
// PROFILE describes the credentials the shell actually has (the environment's keys, which every SDK picks before
// AWS_PROFILE), and says where they come from; times are local, with the zone and what remains.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET, ROLE_A_ARN, ROLE_NO_MFA_ARN } from '../helpers/emulator-world.js';
import { createSandbox, DIST, runSwrole, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
/** What `swrole use a` leaves in a shell: the exports of `swrole env a`. */
let used: Record<string, string>;

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, env(extra));
const assumed = (roleArn: string) => roleArn.replace(/^arn:aws:iam::(\d+):role\/(.+)$/, 'arn:aws:sts::$1:assumed-role/$2/');
const json = (stdout: string) => JSON.parse(stdout) as Record<string, string | null>;

useEmulatorSandbox(async (fixture) => {
  ({ emu, box } = fixture);
  emu.advance(30);
  const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
  assert.equal(login.code, 0, login.stderr);
  const exports = await swrole(['env', 'a', '--format', 'json']);
  assert.equal(exports.code, 0, exports.stderr);
  used = JSON.parse(exports.stdout) as Record<string, string>;
  assert.equal(used.SWROLE_PROFILE, 'a');
});

describe('`whoami` with no profile describes the credentials the shell actually has', () => {
  it("after `swrole use a`, with a stale AWS_PROFILE: role a, from this shell's environment (not AWS_PROFILE's role)", async () => {
    const r = await swrole(['whoami'], { ...used, AWS_PROFILE: 'nomfa' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^source {6}keys in this shell's environment, set by swrole for "a" \(SWROLE_PROFILE\) \(AWS_PROFILE=nomfa is set too, but SDKs use these keys first\)$/m,
    );
    assert.match(r.stdout, /^profile {5}a$/m);
    assert.ok(r.stdout.includes(`arn         ${assumed(ROLE_A_ARN)}`), r.stdout);
    const j = json((await swrole(['whoami', '--json'], { ...used, AWS_PROFILE: 'nomfa' })).stdout);
    assert.equal(j.Source, 'environment');
    assert.equal(j.Profile, 'a');
    assert.ok(j.Arn?.startsWith(assumed(ROLE_A_ARN)), String(j.Arn));
    assert.equal(j.Expiration, used.AWS_CREDENTIAL_EXPIRATION);
  });

  it('inside `swrole exec a -- swrole whoami --json`: role a, from the environment', async () => {
    const r = await swrole(['exec', 'a', '--', process.execPath, DIST, 'whoami', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = json(r.stdout);
    assert.equal(j.Source, 'environment');
    assert.equal(j.Profile, 'a');
    assert.ok(j.Arn?.startsWith(assumed(ROLE_A_ARN)), String(j.Arn));
  });

  it('keys not set by swrole say so; without keys, AWS_PROFILE is named as the source', async () => {
    const foreign = {
      AWS_ACCESS_KEY_ID: used.AWS_ACCESS_KEY_ID!,
      AWS_SECRET_ACCESS_KEY: used.AWS_SECRET_ACCESS_KEY!,
      AWS_SESSION_TOKEN: used.AWS_SESSION_TOKEN!,
    };
    const r = await swrole(['whoami'], foreign);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^source {6}keys in this shell's environment \(AWS_ACCESS_KEY_ID…\), not set by swrole$/m);
    assert.match(r.stdout, /^profile {5}-$/m);
    assert.match(r.stdout, /^expiration {2}unknown \(temporary credentials without AWS_CREDENTIAL_EXPIRATION\)$/m);
    const byProfile = await swrole(['whoami'], { AWS_PROFILE: 'nomfa' });
    assert.equal(byProfile.code, 0, byProfile.stderr);
    assert.match(byProfile.stdout, /^source {6}AWS_PROFILE \(no keys in the environment\)$/m);
    assert.ok(byProfile.stdout.includes(`arn         ${assumed(ROLE_NO_MFA_ARN)}`), byProfile.stdout);
    // A PROFILE argument is that profile, whatever the shell holds, and needs no source line.
    const named = await swrole(['whoami', 'nomfa'], used);
    assert.equal(named.code, 0, named.stderr);
    assert.doesNotMatch(named.stdout, /^source/m);
    assert.ok(named.stdout.includes(`arn         ${assumed(ROLE_NO_MFA_ARN)}`), named.stdout);
  });
});

describe('times are shown in local time with the zone and the remaining time; --json keeps ISO UTC', () => {
  it('TZ=Asia/Tokyo: `expiration  HH:MM JST, Nm left` matching the ISO expiry; login says the same', async () => {
    const r = await swrole(['whoami', 'a'], { TZ: 'Asia/Tokyo' });
    assert.equal(r.code, 0, r.stderr);
    const j = json((await swrole(['whoami', 'a', '--json'], { TZ: 'Asia/Tokyo' })).stdout);
    assert.match(String(j.Expiration), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const tokyo = new Date(Date.parse(String(j.Expiration)) + 9 * 3600_000).toISOString().slice(11, 16);
    assert.match(r.stdout, new RegExp(`^expiration {2}(\\d{4}-\\d\\d-\\d\\d )?${tokyo} JST, \\d+m left$`, 'm'));
    const login = await swrole(['login', 'a'], { TZ: 'Europe/Berlin' });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /MFA session still valid .* until (\d{4}-\d\d-\d\d )?\d\d:\d\d CET, \d+h \d+m left/);
    assert.match(login.stderr, /ready until (\d{4}-\d\d-\d\d )?\d\d:\d\d CET, \d+m left \(cached\)/);
  });
});

describe('expired keys in the shell', () => {
  it('`whoami` says the environment’s keys are no longer accepted and to run `swrole use a` again (not `login`)', async () => {
    emu.advance(2 * 3600);
    const r = await swrole(['whoami'], used);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /the credentials in this shell's environment \(AWS_ACCESS_KEY_ID…\) are no longer accepted: .*ExpiredToken/);
    assert.match(r.stderr, /hint: run `swrole use a` again for fresh ones, or `swrole use --clear`/);
  });
});

describe('`swrole sessions`: every cached MFA and role session with profile, identity, expiry (time left), source; --json', () => {
  it('lists the MFA session of `login` and the role session, in local time, without secrets; --json keeps ISO UTC', async () => {
    const fresh = createSandbox(emu.url);
    try {
      const run = (args: string[], extra: Record<string, string> = {}) =>
        runSwrole(args, { ...fresh.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())), ...extra });
      const none = await run(['sessions']);
      assert.equal(none.code, 0, none.stderr);
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /no cached sessions \(`swrole login PROFILE` starts one\)/);
      emu.advance(30);
      assert.equal((await run(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())])).code, 0);
      const r = await run(['sessions'], { TZ: 'Asia/Tokyo' });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^PROFILE +KIND +IDENTITY +EXPIRES +SOURCE$/);
      assert.match(
        lines[1]!,
        /^base +mfa +arn:aws:iam::333333333333:mfa\/example\.user +(\d{4}-\d\d-\d\d )?\d\d:\d\d JST, 1[12]h \d+m left +GetSessionToken with MFA$/,
      );
      assert.match(
        lines[2]!,
        new RegExp(
          `^a +role +${assumed(ROLE_A_ARN)}\\S+ +(\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d JST, \\d+m left +AssumeRole with the MFA session$`,
        ),
      );
      assert.equal(lines.length, 3, r.stdout);
      const json = JSON.parse((await run(['sessions', '--json'])).stdout) as Array<Record<string, unknown>>;
      assert.deepEqual(
        json.map((s) => [s.profile, s.kind, s.source]),
        [
          ['base', 'mfa', 'GetSessionToken with MFA'],
          ['a', 'role', 'AssumeRole with the MFA session'],
        ],
      );
      for (const s of json) {
        assert.match(String(s.expiration), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        assert.ok(typeof s.secondsLeft === 'number' && s.secondsLeft > 0);
      }
      const shown = r.stdout + JSON.stringify(json);
      const dir = join(fresh.stateDir, 'sessions');
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        const { credentials } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { credentials: Record<string, string> };
        for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken]) {
          assert.ok(secret && !shown.includes(secret), 'no key, secret or token shown');
        }
      }
    } finally {
      fresh.cleanup();
    }
  });
});
