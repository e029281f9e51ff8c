// `swrole login` for IAM Identity Center (issue 11; docs/reference/sso-keyring-console.md A.2–A.6, D.3 A1, A2, A6):
// the device flow and the authorization code + PKCE flow against the emulator, a person simulated by a pty
// (`script`) and a scripted browser (SWROLE_BROWSER), the token cache in the AWS CLI's format, read by botocore and
// the AWS CLI v1 (the image's Python) with no new sign-in. Without a terminal: a fast refusal and no OIDC call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDetached } from '../helpers/run-detached.js';
import { runSwrole } from '../helpers/swrole-run.js';
import { CLI_TOKEN_FIELDS, control, LEGACY_TOKEN_FILE, REGISTRATION_FILE, ssoCacheDir } from '../helpers/sso-world.js';
import { inTerminal, OIDC_ACTIONS as OIDC, useSsoSuite } from '../helpers/sso-suite.js';
import { waitFor } from '../helpers/wait-for.js';

const sso = useSsoSuite({ setup: (suite) => writeFileSync(join(suite.box.dir, 'browser.mjs'), BROWSER) });
const { tokenPath, oidcCalls, personEnv, pythonEnv, botocore } = sso;
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const browserLog = () => join(sso.box.dir, 'browser.log');

/** A scripted browser: GET the authorize URL, follow its redirect to swrole's loopback callback (as told by BROWSER_MODE). */
const BROWSER = `import { appendFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
const log = (o) => appendFileSync(process.env.BROWSER_LOG, JSON.stringify(o) + '\\n');
const url = process.argv[2];
const mode = process.env.BROWSER_MODE ?? 'ok';
const r = await fetch(url, { redirect: 'manual' });
log({ step: 'authorize', status: r.status, url });
const location = r.headers.get('location');
if (location) {
  const callback = new URL(location);
  if (mode === 'forge') callback.searchParams.set('state', 'forged-by-someone-else');
  // The callback listens on 127.0.0.1 only: the same port on another address of this machine refuses.
  const other = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
  if (other) {
    const elsewhere = new URL(callback);
    elsewhere.hostname = other.address;
    const seen = await fetch(elsewhere, { signal: AbortSignal.timeout(2000) }).then((x) => x.status, (e) => e.cause?.code ?? e.name);
    log({ step: 'other-address', address: other.address, seen });
  }
  // 'twice': two callbacks at once (a replay racing the real one): one is taken, the other refused, with 409 or,
  // when it comes after swrole has its code and closed the listener, by the closed port.
  const answer = (a) => ({ status: a.status, headers: Object.fromEntries(a.headers) });
  const failed = (e) => ({ status: e.cause?.code ?? e.name, headers: {} });
  const answers = await Promise.all((mode === 'twice' ? [1, 2] : [1]).map(() => fetch(callback, { signal: AbortSignal.timeout(20_000) }).then(answer, failed)));
  const taken = answers.find((a) => a.status === 200) ?? answers[0];
  log({ step: 'callback', status: taken.status, headers: taken.headers });
  if (mode === 'twice') log({ step: 'both', statuses: answers.map((a) => a.status) });
}
`;

function browserEnv(mode: 'ok' | 'forge' | 'twice'): Record<string, string> {
  return {
    SWROLE_BROWSER: `${quote(process.execPath)} ${quote(join(sso.box.dir, 'browser.mjs'))}`,
    BROWSER_MODE: mode,
    BROWSER_LOG: browserLog(),
  };
}

/** The scripted browser logs its last step after swrole has its callback (and may have exited): wait for that line. */
const browserDone = (last: 'callback' | 'both') =>
  waitFor(() => browserSteps().some((s) => s.step === last), `the scripted browser's ${last} step`);

function browserSteps(): Record<string, unknown>[] {
  return existsSync(browserLog())
    ? readFileSync(browserLog(), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
}

describe('swrole login: IAM Identity Center sign-in (issue 11)', () => {
  it('A6: no terminal (a pipe, an agent) and no token → E_SSO_LOGIN_REQUIRED in < 1 s naming `swrole login dev`; zero OIDC calls, no browser', async () => {
    sso.emu.reset();
    const started = performance.now();
    const login = await runSwrole(['login', 'dev', '--debug'], personEnv(browserEnv('ok')));
    const ms = performance.now() - started;
    assert.equal(login.code, 4, login.stderr);
    assert.match(login.stderr, /code: E_SSO_LOGIN_REQUIRED/);
    assert.match(login.stderr, /signing in to IAM Identity Center needs a person at a terminal/);
    assert.match(login.stderr, /`swrole login dev`/);
    // At once: refused before any OIDC call or browser step (how soon is measured below, not asserted).
    assert.deepEqual(oidcCalls(), [], 'refused before any OIDC call');
    const agents = await Promise.all(
      Array.from({ length: 8 }, () => runSwrole(['process', 'dev'], personEnv({ ...browserEnv('ok'), CLAUDECODE: '1' }))),
    );
    for (const r of agents) {
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /Error loading SSO Token: Token for corp does not exist/);
    }
    assert.deepEqual(oidcCalls(), []);
    assert.deepEqual(browserSteps(), [], 'no browser was started');
    assert.equal(existsSync(tokenPath()), false);
    console.log(`# measured: login without a terminal refused in ${ms.toFixed(0)} ms; 8 agent callers: ${oidcCalls().length} OIDC calls`);
  });

  it('A1: --device-code prints the URL and code, then writes the CLI token file (field order, …Z, 0600) and registration; botocore and the AWS CLI v1 use it with no OIDC call', async () => {
    sso.emu.reset();
    const login = await inTerminal(['login', 'dev', '--device-code'], personEnv());
    assert.equal(login.code, 0, login.output);
    const start = sso.emu.calls().find((c) => c.action === 'StartDeviceAuthorization');
    assert.ok(start);
    assert.match(login.output, /https:\/\/device\.sso\.us-east-1\.amazonaws\.com\/\n/);
    assert.match(login.output, /and enter the code\n\n {2}[A-Z0-9]{4}-[A-Z0-9]{4}\n/);
    assert.match(login.output, /swrole: signed in to IAM Identity Center sso-session "corp"/);
    assert.match(login.output, /swrole: profile "dev" ready until /);
    const register = sso.emu.calls().filter((c) => c.action === 'RegisterClient');
    assert.equal(register.length, 1);
    assert.equal(register[0]!.params.scopes, 'sso:account:access');
    assert.equal(register[0]!.params.grantTypes, undefined, 'a device registration, as the CLI makes');

    const text = readFileSync(tokenPath(), 'utf8');
    const token = JSON.parse(text) as Record<string, string>;
    assert.deepEqual(Object.keys(token), CLI_TOKEN_FIELDS);
    assert.match(token.expiresAt!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(token.registrationExpiresAt!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(
      text,
      /^\{"startUrl": "https:\/\/d-1234567890\.awsapps\.com\/start", "region": "us-east-1", "accessToken": /,
      'json.dumps separators',
    );
    assert.equal(statSync(tokenPath()).mode & 0o777, 0o600);
    const registration = JSON.parse(readFileSync(tokenPath(REGISTRATION_FILE), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(registration), ['clientId', 'clientSecret', 'expiresAt', 'scopes']);
    assert.equal(registration.clientId, token.clientId);

    const before = sso.emu.counts();
    const boto = await botocore('dev');
    assert.match(boto.key ?? '', /^ASIA/, JSON.stringify(boto));
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], pythonEnv(), '', 60_000);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(JSON.parse(cli.stdout).Arn, /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/);
    const after = sso.emu.counts();
    assert.equal((after.GetRoleCredentials ?? 0) - (before.GetRoleCredentials ?? 0), 2, 'one GetRoleCredentials each');
    for (const action of OIDC)
      assert.equal(after[action] ?? 0, before[action] ?? 0, `${action}: the oracles signed in with swrole's token`);

    const again = await runSwrole(['login', 'dev'], personEnv());
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /still signed in to IAM Identity Center sso-session "corp"/);
    console.log(
      `# measured: device login: ${register.length} RegisterClient, 1 StartDeviceAuthorization, ${before.CreateToken} CreateToken polls`,
    );
  });

  it('A2: the browser (authorization code + PKCE): redirect registered without a port, the callback with it, on 127.0.0.1 only, one callback', async () => {
    sso.emu.reset();
    rmSync(browserLog(), { force: true });
    const old = readFileSync(tokenPath(), 'utf8');
    const login = await inTerminal(['login', 'dev', '--force'], personEnv(browserEnv('twice')));
    assert.equal(login.code, 0, login.output);
    assert.match(
      login.output,
      /in your browser\. If it does not open, open this URL:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&client_id=/,
    );
    const register = sso.emu.calls().find((c) => c.action === 'RegisterClient');
    assert.equal(register?.params.redirectUris, 'http://127.0.0.1/oauth/callback');
    assert.equal(register?.params.grantTypes, 'authorization_code refresh_token');
    assert.equal(register?.params.issuerUrl, 'https://d-1234567890.awsapps.com/start');
    const authorize = sso.emu.calls().find((c) => c.action === 'Authorize');
    const exchange = sso.emu.calls().find((c) => c.action === 'CreateToken');
    assert.match(authorize?.params.redirectUri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    assert.equal(exchange?.params.grantType, 'authorization_code');
    assert.equal(exchange?.params.redirectUri, authorize?.params.redirectUri, 'CreateToken repeats the redirect URI with its port');
    assert.equal(exchange?.code, 'OK');
    await browserDone('both');
    const steps = browserSteps();
    assert.equal(steps.find((s) => s.step === 'authorize')?.status, 302);
    const callback = steps.find((s) => s.step === 'callback') as { status: number; headers: Record<string, string> };
    assert.equal(callback.headers['cache-control'], 'no-store');
    assert.equal(callback.headers['x-frame-options'], 'DENY');
    const statuses = (steps.find((s) => s.step === 'both')?.statuses ?? []) as (number | string)[];
    assert.equal(statuses.filter((s) => s === 200).length, 1, `one callback taken: ${JSON.stringify(statuses)}`);
    assert.match(String(statuses.find((s) => s !== 200)), /^(409|ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)$/, 'the other one refused');
    const other = steps.find((s) => s.step === 'other-address');
    if (other) assert.notEqual(other.seen, 200, `the callback answered on ${String(other.address)}`);
    const token = JSON.parse(readFileSync(tokenPath(), 'utf8')) as Record<string, string>;
    assert.notEqual(token.accessToken, (JSON.parse(old) as Record<string, string>).accessToken);
    const registration = JSON.parse(readFileSync(tokenPath(REGISTRATION_FILE), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(registration.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal(registration.clientId, token.clientId);
    assert.match((await botocore('dev-ro')).key ?? '', /^ASIA/);
  });

  it('A2: a forged state → E_SSO_LOGIN_FAILED, no CreateToken, the token file untouched; the registration is reused', async () => {
    // No emulator reset: the client registered by the last login must stay known to it.
    const before = sso.emu.counts();
    rmSync(browserLog(), { force: true });
    const old = readFileSync(tokenPath(), 'utf8');
    const login = await inTerminal(['login', 'dev', '--force', '--debug'], personEnv(browserEnv('forge')));
    assert.equal(login.code, 4, login.output);
    assert.match(login.output, /code: E_SSO_LOGIN_FAILED/);
    assert.match(login.output, /State parameter does not match expected value\./);
    await browserDone('callback');
    assert.equal(browserSteps().find((s) => s.step === 'callback')?.status, 400);
    assert.equal(sso.emu.counts().CreateToken, before.CreateToken);
    assert.equal(sso.emu.counts().Authorize, (before.Authorize ?? 0) + 1);
    assert.equal(sso.emu.counts().RegisterClient, before.RegisterClient, 'the authorization-code registration of the last login is reused');
    assert.equal(readFileSync(tokenPath(), 'utf8'), old);
  });

  it('no browser and no display: the device code automatically; a legacy profile signs in without scopes to sha1(start URL)', async () => {
    sso.emu.reset();
    const session = await inTerminal(['login', 'not-mine', '--force', '--debug'], personEnv());
    // not-mine's role is not assigned: the sign-in works, the role is refused as botocore says it.
    assert.equal(session.code, 4, session.output);
    assert.equal(sso.emu.counts().StartDeviceAuthorization, 1);
    assert.match(session.output, /and enter the code/);
    assert.match(session.output, /signed in to IAM Identity Center sso-session "corp"/);
    assert.match(session.output, /code: E_SSO_NO_ACCESS/);
    assert.match(session.output, /An error occurred \(ForbiddenException\) when calling the GetRoleCredentials operation: No access/);
    assert.doesNotMatch(session.output, /hint: .*swrole login/);

    sso.emu.reset();
    const legacy = await inTerminal(['login', 'legacy'], personEnv());
    assert.equal(legacy.code, 0, legacy.output);
    const register = sso.emu.calls().find((c) => c.action === 'RegisterClient');
    assert.equal(register?.params.scopes, undefined, 'legacy: no scopes, as botocore');
    assert.match(register?.params.clientName ?? '', /^swrole-client-\d+$/);
    const token = JSON.parse(readFileSync(tokenPath(LEGACY_TOKEN_FILE), 'utf8')) as Record<string, string>;
    assert.equal(token.refreshToken, undefined);
    assert.match((await botocore('legacy')).key ?? '', /^ASIA/);
  });

  it('a second login for the same sso-session while the first waits for its person: it waits for that one (one device flow), then takes its token', async () => {
    sso.emu.reset();
    rmSync(ssoCacheDir(sso.box.home), { recursive: true, force: true });
    // The first login's first CreateToken poll is held: it is mid sign-in, holding the token lock for a person.
    sso.emu.inject({ action: 'CreateToken', hold: true, count: 1 });
    let firstSays = '';
    const first = inTerminal(['login', 'dev', '--device-code'], personEnv(), 60_000, (out) => (firstSays = out));
    await waitFor(
      async () => ((await control(sso.emu.url, 'held')) as { held: number }).held > 0,
      () =>
        `the first login to poll (it says: ${firstSays}; calls: ${JSON.stringify(sso.emu.calls().map((c) => `${c.action}:${c.code}`))})`,
    );
    let waiting = false;
    const second = inTerminal(['login', 'dev-ro', '--device-code'], personEnv(), 60_000, (out) => {
      waiting ||= /waiting for pid \d+ \(.*login dev.*\), waiting for a person to sign in to IAM Identity Center/.test(out);
    });
    await waitFor(() => waiting, 'the second login to say it waits for the first');
    await control(sso.emu.url, 'release', {});
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.code, 0, a.output);
    assert.equal(b.code, 0, b.output);
    assert.match(a.output, /and enter the code/);
    assert.match(a.output, /swrole: signed in to IAM Identity Center sso-session "corp"/);
    assert.doesNotMatch(b.output, /enter the code|in your browser/, 'the second login showed no device code and opened no browser');
    assert.match(b.output, /swrole: another swrole signed in to IAM Identity Center sso-session "corp"/);
    assert.match(b.output, /swrole: profile "dev-ro" ready until /);
    const counts = sso.emu.counts();
    assert.equal(counts.StartDeviceAuthorization, 1, 'one device flow');
    assert.equal(counts.RegisterClient, 1);
    assert.equal(sso.emu.calls().filter((c) => c.action === 'CreateToken' && c.code === 'OK').length, 1, 'one token created');
    assert.equal(counts.Authorize ?? 0, 0);
    console.log(
      `# measured: two concurrent logins, one sso-session: ${counts.RegisterClient ?? 0} RegisterClient, ${counts.StartDeviceAuthorization} StartDeviceAuthorization, ` +
        `${counts.CreateToken} CreateToken (polls), ${counts.GetRoleCredentials ?? 0} GetRoleCredentials`,
    );
  });

  it('a cached registration IAM Identity Center no longer knows (InvalidClientException) → registered again once, then the sign-in goes on', async () => {
    // The emulator forgets every client; the device registration of the last test stays on disk.
    sso.emu.reset();
    rmSync(tokenPath(), { force: true });
    assert.ok(existsSync(tokenPath(REGISTRATION_FILE)));
    const login = await inTerminal(['login', 'dev', '--device-code', '--debug'], personEnv());
    assert.equal(login.code, 0, login.output);
    assert.match(
      login.output,
      /the cached client registration is unknown to IAM Identity Center \(InvalidClientException\): registering again/,
    );
    assert.deepEqual(
      oidcCalls()
        .filter((c) => c.action !== 'CreateToken')
        .map((c) => `${c.action}:${c.code}`),
      ['StartDeviceAuthorization:InvalidClientException', 'RegisterClient:OK', 'StartDeviceAuthorization:OK'],
    );
    assert.equal(
      JSON.parse(readFileSync(tokenPath(REGISTRATION_FILE), 'utf8')).clientId,
      JSON.parse(readFileSync(tokenPath(), 'utf8')).clientId,
    );
  });
});
