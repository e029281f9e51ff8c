// `swrole sso profiles` (issue 11 "Profiles at scale", D.3 A12): every account and role of a sign-in, paginated and
// paced under the portal's rate limit (the emulator refuses the 11th call in a second with 429), printed as config
// sections or added with --write through the lossless, backed-up editor; a second run adds only what is new, and
// botocore signs in with a generated profile.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import type { RunResult } from '../helpers/swrole-run.js';
import { issueSignIn, ssoWorld, writeTokenFile } from '../helpers/sso-world.js';
import { useSsoSuite } from '../helpers/sso-suite.js';

/** The small world is the suite's; the big one (252 accounts, 10 list calls a second) is started beside it. */
const sso = useSsoSuite();
let big: EmulatorHandle;
before(async () => {
  big = await startEmulator({ world: ssoWorld({ extraAccounts: 250, listRateLimit: 10 }) });
});
after(() => big.close());

const swrole = (emu: EmulatorHandle, args: string[]): Promise<RunResult> => sso.swrole(args, {}, emu);

describe('swrole sso profiles (issue 11)', () => {
  it('prints one section per account and role, names from the template; not signed in → E_SSO_LOGIN_REQUIRED and no call', async () => {
    const none = await swrole(sso.emu, ['sso', 'profiles', '--session', 'corp', '--debug']);
    assert.equal(none.code, 4, none.stderr);
    assert.match(none.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);
    assert.match(none.stderr, /`swrole login --sso-session corp`/);
    assert.deepEqual(sso.emu.counts(), {});

    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    const out = await swrole(sso.emu, ['sso', 'profiles', 'dev']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      out.stdout,
      [
        '[profile dev.Admin]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n',
        '[profile dev.ReadOnly]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n',
        '[profile prod.ReadOnly]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = ReadOnly\n',
      ].join('\n'),
    );
    // A legacy (start URL) listing with a template and a prefix: run before and after its token exists.
    const legacyArgs = [
      'sso',
      'profiles',
      '--start-url',
      'https://d-1234567890.awsapps.com/start',
      '--region',
      'us-east-1',
      '--template',
      '{account_id} {role_name}',
      '--prefix',
      'x.',
    ];
    const templated = await swrole(sso.emu, legacyArgs);
    // The legacy sign-in has no token here: a start URL's token is another file.
    assert.equal(templated.code, 4, templated.stderr);
    assert.match(templated.stderr, /Token for https:\/\/d-1234567890\.awsapps\.com\/start does not exist/);
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url, { scopes: [] }), { session: null });
    const legacy = await swrole(sso.emu, legacyArgs);
    assert.equal(legacy.code, 0, legacy.stderr);
    assert.match(
      legacy.stdout,
      /^\[profile x\.111111111111-Admin\]\nsso_start_url = https:\/\/d-1234567890\.awsapps\.com\/start\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Admin\n/,
    );
    const usage = await swrole(sso.emu, ['sso', 'profiles', 'dev', '--session', 'corp', '--debug']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^ {2}code: E_USAGE$/m);
  });

  it('A12: 252 accounts under a 10 rps limit: every page, no 429 surfaced; --write adds 337 profiles (backed up), a second run adds none and keeps an edit; botocore uses one', async () => {
    writeTokenFile(sso.box.home, await issueSignIn(big.url));
    const before = readFileSync(sso.box.configFile, 'utf8');
    const started = performance.now();
    const first = await swrole(big, ['sso', 'profiles', '--session', 'corp', '--write', '--prefix', 'corp.']);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /added 337 profile\(s\) to .*config \(previous file kept as .*config\.swrole-backup\)/);
    assert.equal(readFileSync(`${sso.box.configFile}.swrole-backup`, 'utf8'), before);
    const text = readFileSync(sso.box.configFile, 'utf8');
    assert.ok(text.startsWith(before), 'the existing config is kept byte for byte');
    assert.match(text, /\[profile corp\.team-0\.Admin\]\nsso_session = corp\nsso_account_id = 500000000000\nsso_role_name = Admin\n/);
    const calls = big.calls();
    const throttled = calls.filter((c) => c.code === 'TooManyRequestsException').length;
    assert.equal(calls.filter((c) => c.action === 'ListAccounts' && c.code === 'OK').length, 3, '252 accounts in pages of 100');
    assert.equal(calls.filter((c) => c.action === 'ListAccountRoles' && c.code === 'OK').length, 252);
    console.log(
      `# measured: 252 accounts / 337 roles listed in ${seconds.toFixed(1)} s, ${calls.length} portal calls, ${throttled} answered 429 (retried)`,
    );

    writeFileSync(
      sso.box.configFile,
      readFileSync(sso.box.configFile, 'utf8').replace('[profile corp.dev.Admin]\n', '[profile corp.dev.Admin]\nregion = eu-central-1\n'),
    );
    const again = await swrole(big, ['sso', 'profiles', '--session', 'corp', '--write', '--prefix', 'corp.']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /added 0 profile\(s\) to .*; 337 already there/);
    assert.match(readFileSync(sso.box.configFile, 'utf8'), /\[profile corp\.dev\.Admin\]\nregion = eu-central-1\n/);

    assert.match((await sso.botocore('corp.team-3.Admin', sso.pythonEnv(sso.env({}, big)))).key ?? '', /^ASIA/);
  });
});
