// IAM Identity Center sources (issue 11; docs/reference/sso-keyring-console.md A.5–A.8, A.10, D.3 A3–A5, A7, A9,
// A10): the token an `aws sso login` left (CLI and JS SDK shapes) used with no sign-in, botocore's refresh rule with
// the token rewritten in the CLI's format, 20 callers making one CreateToken, a refresh-token rotation race lost to
// botocore and won back by re-reading the file, the portal's 401/403/429/500, and errors in botocore's own words
// (botocore, in the image's Python, is the oracle).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../helpers/swrole-run.js';
import {
  CLI_TOKEN_FIELDS,
  control,
  issueSignIn,
  LEGACY_TOKEN_FILE,
  REGISTRATION_FILE,
  ssoCacheDir,
  writeTokenFile,
} from '../helpers/sso-world.js';
import { useSsoSuite } from '../helpers/sso-suite.js';

const sso = useSsoSuite({ freshEach: true });
const { swrole, tokenPath, readToken, count, oidcCount, botocore } = sso;

function credentialsOf(r: RunResult): { AccessKeyId: string; Expiration: string } {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { AccessKeyId: string; Expiration: string };
}

describe('IAM Identity Center sources (issue 11)', () => {
  it("A3: the AWS CLI's token file is used with no sign-in (1 GetRoleCredentials, then cached); the JS SDK's shape (….285Z, indented, 0644) too", async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    const first = credentialsOf(await swrole(['process', 'dev']));
    assert.match(first.AccessKeyId, /^ASIA/);
    const again = credentialsOf(await swrole(['process', 'dev']));
    assert.equal(again.AccessKeyId, first.AccessKeyId, 'the role credentials are cached like any session');
    assert.equal(count('GetRoleCredentials'), 1);
    assert.equal(oidcCount(), 0);

    const signIn = await issueSignIn(sso.emu.url);
    const sdk = {
      startUrl: 'https://d-1234567890.awsapps.com/start',
      region: 'us-east-1',
      accessToken: signIn.accessToken,
      expiresAt: new Date(Date.now() + 3_000_000 + 285).toISOString(),
      clientId: signIn.clientId,
      clientSecret: signIn.clientSecret,
      registrationExpiresAt: new Date(signIn.clientSecretExpiresAt * 1000).toISOString(),
      refreshToken: signIn.refreshToken,
    };
    writeFileSync(tokenPath(), JSON.stringify(sdk, null, 2));
    chmodSync(tokenPath(), 0o644);
    credentialsOf(await swrole(['process', 'dev-ro']));
    assert.equal(count('GetRoleCredentials'), 2);
    assert.equal(oidcCount(), 0);
  });

  it('A4: 10 min left → exactly one refresh, the file rewritten in the CLI format with the new refresh token; botocore then makes no OIDC call', async () => {
    const signIn = await issueSignIn(sso.emu.url);
    writeTokenFile(sso.box.home, signIn, { expiresInMs: 10 * 60_000 });
    credentialsOf(await swrole(['process', 'dev']));
    const creates = sso.emu.calls().filter((c) => c.action === 'CreateToken');
    assert.deepEqual(
      creates.map((c) => [c.params.grantType, c.code]),
      [['refresh_token', 'OK']],
    );
    const token = readToken();
    assert.deepEqual(Object.keys(token), CLI_TOKEN_FIELDS);
    assert.notEqual(token.refreshToken, signIn.refreshToken, 'the rotated refresh token is kept');
    assert.notEqual(token.accessToken, signIn.accessToken);
    assert.match(token.expiresAt!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(statSync(tokenPath()).mode & 0o777, 0o600);
    assert.match((await botocore('dev-ro')).key ?? '', /^ASIA/);
    assert.equal(count('CreateToken'), 1, 'botocore found the refreshed token good for more than 15 min');
  });

  it('A4: expired, registration expired → no refresh attempt; botocore\'s "Token has expired and refresh failed" plus `swrole login dev`', async () => {
    const signIn = await issueSignIn(sso.emu.url);
    writeTokenFile(sso.box.home, signIn, { expiresInMs: -60_000, registrationExpiresAt: '2020-01-01T00:00:00Z' });
    const r = await swrole(['process', 'dev', '--debug']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);
    assert.match(r.stderr, /hint: .*`swrole login dev`/);
    const boto = await botocore('dev');
    assert.equal(boto.error, 'TokenRetrievalError: Error when retrieving token from sso: Token has expired and refresh failed');
    assert.ok(r.stderr.includes(`profile "dev": ${boto.error!.replace(/^TokenRetrievalError: /, '')}`), r.stderr);
    assert.equal(count('CreateToken'), 0);
  });

  it('A5: 20 parallel `swrole process` on an expired, refreshable token → exactly 1 CreateToken and 1 GetRoleCredentials', async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url), { expiresInMs: -60_000 });
    const runs = await Promise.all(Array.from({ length: 20 }, () => swrole(['process', 'dev'])));
    const keys = new Set(runs.map((r) => credentialsOf(r).AccessKeyId));
    assert.equal(keys.size, 1, 'every caller got the one role session');
    assert.equal(count('CreateToken'), 1);
    assert.equal(count('GetRoleCredentials'), 1);
    console.log(
      `# measured: 20 parallel callers, expired token: ${count('CreateToken')} CreateToken, ${count('GetRoleCredentials')} GetRoleCredentials`,
    );
  });

  it('A7: a rotation race lost to botocore (invalid_grant) is won back by re-reading the file: no login', async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url), { expiresInMs: 5 * 60_000 });
    sso.emu.inject({ action: 'CreateToken', hold: true, count: 1 });
    const pending = swrole(['process', 'dev', '--debug']);
    for (let i = 0; i < 200 && ((await control(sso.emu.url, 'held')) as { held: number }).held === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    // Meanwhile botocore refreshes with the same refresh token (rotating it) and rewrites the file.
    assert.match((await botocore('dev-ro')).key ?? '', /^ASIA/);
    await control(sso.emu.url, 'release', {});
    const r = await pending;
    credentialsOf(r);
    assert.deepEqual(
      sso.emu
        .calls()
        .filter((c) => c.action === 'CreateToken')
        .map((c) => c.code)
        .sort(),
      ['InvalidGrantException', 'OK'],
    );
    assert.equal(count('RegisterClient') + count('StartDeviceAuthorization'), 0);
    assert.match(r.stderr, /refresh answered InvalidGrantException; the token file was replaced meanwhile: using the new token/);
  });

  it("A10: a revoked token (portal 401) → one refresh, then served; a legacy one → botocore's UnauthorizedSSOTokenError text and `swrole login legacy`", async () => {
    const signIn = await issueSignIn(sso.emu.url);
    writeTokenFile(sso.box.home, signIn);
    await control(sso.emu.url, 'sso/revoke', { accessToken: signIn.accessToken });
    credentialsOf(await swrole(['process', 'dev']));
    assert.deepEqual(
      sso.emu
        .calls()
        .filter((c) => c.action !== 'CreateToken' || c.params.grantType === 'refresh_token')
        .map((c) => `${c.action}:${c.code}`),
      ['GetRoleCredentials:UnauthorizedException', 'CreateToken:OK', 'GetRoleCredentials:OK'],
    );

    const legacy = await issueSignIn(sso.emu.url, { scopes: [] });
    writeTokenFile(sso.box.home, legacy, { session: null });
    await control(sso.emu.url, 'sso/revoke', { accessToken: legacy.accessToken });
    // botocore first: swrole then drops the dead token file.
    const boto = await botocore('legacy');
    const r = await swrole(['process', 'legacy', '--debug']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);
    assert.match(r.stderr, /hint: .*`swrole login legacy`/);
    assert.match(boto.error ?? '', /^UnauthorizedSSOTokenError: /);
    assert.ok(r.stderr.includes(boto.error!.replace(/^UnauthorizedSSOTokenError: /, '')), `${r.stderr}\n${boto.error}`);
    assert.throws(
      () => statSync(tokenPath(LEGACY_TOKEN_FILE)),
      /ENOENT/,
      'the dead token is dropped, so the next caller does not ask again',
    );
  });

  it('A10: 429 twice → retried and served; 429 throughout → E_SSO_THROTTLED after 4 tries; 500 throughout → E_SSO_FAILED', async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    sso.emu.inject({ action: 'GetRoleCredentials', status: 429, count: 2 });
    credentialsOf(await swrole(['process', 'dev']));
    assert.equal(count('GetRoleCredentials'), 3);

    sso.emu.reset();
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    sso.emu.inject({ action: 'GetRoleCredentials', status: 429, count: 50 });
    const throttled = await swrole(['process', 'dev-ro', '--debug']);
    assert.equal(throttled.code, 4, throttled.stderr);
    assert.match(throttled.stderr, /^ {2}code: E_SSO_THROTTLED$/m);
    assert.match(throttled.stderr, /throttled GetRoleCredentials \(429 TooManyRequestsException\) 4 times/);
    assert.equal(count('GetRoleCredentials'), 4);

    sso.emu.reset();
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    sso.emu.inject({ action: 'GetRoleCredentials', status: 500, count: 50 });
    const failed = await swrole(['process', 'dev-ro', '--debug']);
    assert.equal(failed.code, 4, failed.stderr);
    assert.match(failed.stderr, /^ {2}code: E_SSO_FAILED$/m);
    assert.match(failed.stderr, /GetRoleCredentials failed at http:\/\/127\.0\.0\.1:\d+: InternalServerException \(HTTP 500\)/);
  });

  it('A9: a role chained on an SSO profile: AssumeRole signed with the SSO role session; 7200 s capped at 1 h as chaining', async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    credentialsOf(await swrole(['process', 'app']));
    const assume = sso.emu.calls().find((c) => c.action === 'AssumeRole');
    assert.match(assume?.callerArn ?? '', /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/);
    assert.equal(assume?.code, 'OK');
    const long = credentialsOf(await swrole(['process', 'app-long']));
    const hop = sso.emu.calls().filter((c) => c.action === 'AssumeRole')[1];
    assert.equal(hop?.params.DurationSeconds, '3600');
    assert.ok(Date.parse(long.Expiration) - Date.now() <= 3600_000 + 5000);
  });

  it('A11: logout PROFILE signs out at the portal (Logout), drops the token and every role session from it, keeps the registration; --all sweeps as `aws sso logout`', async () => {
    const signIn = await issueSignIn(sso.emu.url);
    writeTokenFile(sso.box.home, signIn);
    const saved = readFileSync(tokenPath(), 'utf8');
    const registration = join(ssoCacheDir(sso.box.home), REGISTRATION_FILE);
    writeFileSync(
      registration,
      '{"clientId": "cid-x", "clientSecret": "cs-x", "expiresAt": "2099-01-01T00:00:00Z", "scopes": ["sso:account:access"]}',
    );
    credentialsOf(await swrole(['process', 'dev']));
    credentialsOf(await swrole(['process', 'dev-ro']));
    const out = await swrole(['logout', 'dev']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /signed out of IAM Identity Center corp\n/);
    assert.deepEqual(
      sso.emu
        .calls()
        .filter((c) => c.action === 'Logout')
        .map((c) => c.code),
      ['OK'],
    );
    assert.throws(() => statSync(tokenPath()), /ENOENT/);
    assert.ok(statSync(registration).isFile(), 'the registration stays');
    const after = await swrole(['process', 'dev-ro', '--debug']);
    assert.equal(after.code, 4, 'the role session of dev-ro, from the same sign-in, is gone too');
    assert.match(after.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);
    assert.match(after.stderr, /Error loading SSO Token: Token for corp does not exist/);
    assert.equal((await botocore('dev')).error, 'SSOTokenLoadError: Error loading SSO Token: Token for corp does not exist');
    // The portal ended the sign-in: the old token and its refresh token are dead there too.
    writeFileSync(tokenPath(), saved, { mode: 0o600 });
    const replayed = await swrole(['process', 'dev', '--debug']);
    assert.equal(replayed.code, 4, replayed.stderr);
    assert.match(replayed.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);

    const legacy = await issueSignIn(sso.emu.url, { scopes: [] });
    writeTokenFile(sso.box.home, legacy, { session: null });
    const cli = join(sso.box.home, '.aws', 'cli', 'cache');
    mkdirSync(cli, { recursive: true });
    writeFileSync(join(cli, 'd7467b2ce0aaa46d5fc3753e3bbaaf372cba5c68.json'), '{"ProviderType": "sso", "Credentials": {}}');
    writeFileSync(join(cli, 'assumed.json'), '{"ProviderType": "assume-role", "Credentials": {}}');
    writeFileSync(join(cli, 'session.db'), 'not json');
    const all = await swrole(['logout', '--all']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /signed out of 2 IAM Identity Center session\(s\); removed 1 AWS CLI SSO credential file\(s\)/);
    assert.deepEqual(readdirSync(ssoCacheDir(sso.box.home)), [REGISTRATION_FILE]);
    assert.deepEqual(readdirSync(cli).sort(), ['assumed.json', 'session.db']);
    assert.equal(
      sso.emu.calls().filter((c) => c.action === 'Logout' && c.code === 'OK').length,
      2,
      'the legacy token signed out at the portal',
    );
  });

  it("the token lock lives in swrole's cache dir (`sso/`) under the directory trust rule: writable by others or another user's → E_STATE_DIR_UNSAFE before any CreateToken; readable by others → tightened", async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url), { expiresInMs: -60_000 });
    const lockDir = join(sso.box.stateDir, 'sso');
    mkdirSync(lockDir, { recursive: true, mode: 0o700 });
    chmodSync(lockDir, 0o777);
    const open = await swrole(['process', 'dev', '--debug']);
    assert.equal(open.code, 5, open.stderr);
    assert.ok(open.stderr.includes(`refusing to use ${lockDir}: `), open.stderr);
    assert.match(open.stderr, /writable by other users \(mode 0777\)/);
    assert.match(open.stderr, /^ {2}code: E_STATE_DIR_UNSAFE$/m);
    assert.equal(count('CreateToken'), 0, 'no refresh under a lock another user could hold or fake');

    if (process.getuid?.() === 0) {
      chmodSync(lockDir, 0o700);
      chownSync(lockDir, 65534, 65534);
      const foreign = await swrole(['process', 'dev', '--debug']);
      assert.equal(foreign.code, 5, foreign.stderr);
      assert.match(foreign.stderr, /it is owned by uid 65534/);
      assert.equal(count('CreateToken'), 0);
      chownSync(lockDir, 0, 0);
    }

    chmodSync(lockDir, 0o755);
    const loose = await swrole(['process', 'dev']);
    credentialsOf(loose);
    assert.ok(loose.stderr.includes(`warning: ${lockDir} was readable by other users; its mode is now 0700`), loose.stderr);
    assert.equal(statSync(lockDir).mode & 0o777, 0o700);
    assert.equal(count('CreateToken'), 1);
    assert.deepEqual(
      readdirSync(lockDir),
      [`ee0bfd2552fbd840c02cc48b6e823320543c450f.attempt`],
      'the lock is released; the attempt record stays',
    );
  });

  it("a failed refresh is not tried again within a minute (botocore's _attempt_timeout): the old token serves in the advisory window; once expired, E_SSO_LOGIN_REQUIRED without a call", async () => {
    const signIn = await issueSignIn(sso.emu.url);
    writeTokenFile(sso.box.home, signIn, { expiresInMs: 12 * 60_000 });
    sso.emu.inject({ action: 'CreateToken', status: 500, count: 100 });
    const first = await swrole(['process', 'dev', '--no-cache', '--debug']);
    credentialsOf(first);
    assert.match(first.stderr, /sso: refresh failed \(InternalServerException\) in the advisory window: the current token still works/);
    const tried = count('CreateToken');
    assert.ok(tried >= 1);
    const second = await swrole(['process', 'dev-ro', '--no-cache', '--debug']);
    credentialsOf(second);
    assert.match(second.stderr, /the last refresh of this token failed less than a minute ago: not trying again yet/);
    assert.equal(count('CreateToken'), tried, 'no second attempt within the minute');

    writeTokenFile(sso.box.home, signIn, { expiresInMs: -60_000 });
    const expired = await swrole(['process', 'dev', '--no-cache', '--debug']);
    assert.equal(expired.code, 4, expired.stderr);
    assert.match(expired.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);
    assert.match(expired.stderr, /Token has expired and refresh failed/);
    assert.match(expired.stderr, /the refresh failed less than a minute ago/);
    assert.equal(count('CreateToken'), tried);
    console.log(`# measured: refresh throttle: ${tried} CreateToken for the failed attempt (retries included), 0 for the next two callers`);
  });

  it("A8: an expired legacy (sso_start_url) token is never refreshed: botocore's UnauthorizedSSOTokenError text, `swrole login legacy`, no call", async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url, { scopes: [] }), { session: null, expiresInMs: -60_000 });
    const r = await swrole(['process', 'legacy', '--debug']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^ {2}code: E_SSO_LOGIN_REQUIRED$/m);
    assert.match(r.stderr, /hint: .*`swrole login legacy`/);
    const boto = await botocore('legacy');
    assert.match(boto.error ?? '', /^UnauthorizedSSOTokenError: /);
    assert.ok(r.stderr.includes(boto.error!.replace(/^UnauthorizedSSOTokenError: /, '')), `${r.stderr}\n${boto.error}`);
    assert.deepEqual(
      sso.emu.calls().filter((c) => c.action !== 'GetCallerIdentity'),
      [],
      'neither swrole nor botocore called OIDC or the portal',
    );
  });
});
