// `swrole login` for IAM Identity Center (issue 11; docs/reference/sso-keyring-console.md A.2–A.6, D.3 A1, A2, A6):
// the device flow and the authorization code + PKCE flow against the emulator, a person simulated by a pty
// (`script`) and a scripted browser (SWROLE_BROWSER), the token cache in the AWS CLI's format, read by botocore and
// the AWS CLI v1 (the image's Python) with no new sign-in. Without a terminal: a fast refusal and no OIDC call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { runDetached } from '../helpers/run-detached.js';
import { DIST, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { LEGACY_TOKEN_FILE, REGISTRATION_FILE, SESSION_TOKEN_FILE, ssoCacheDir, ssoConfig, ssoWorld } from '../helpers/sso-world.js';

let emu: EmulatorHandle;
let box: Sandbox;

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const OIDC = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'Authorize'];
const oidcCalls = () => emu.calls().filter((c) => OIDC.includes(c.action));
const tokenPath = (name = SESSION_TOKEN_FILE) => join(ssoCacheDir(box.home), name);
const browserLog = () => join(box.dir, 'browser.log');

/** The env of a person's shell: the emulator for STS, SSO and SSO-OIDC; no DISPLAY (so no platform browser). */
function personEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...box.env, AWS_ENDPOINT_URL_SSO: emu.url, AWS_ENDPOINT_URL_SSO_OIDC: emu.url, ...extra };
}

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
  // 'twice': two callbacks at once (a replay racing the real one): one is taken, the other refused.
  const answers = await Promise.all((mode === 'twice' ? [1, 2] : [1]).map(() => fetch(callback)));
  log({ step: 'callback', status: answers[0].status, headers: Object.fromEntries(answers[0].headers) });
  if (mode === 'twice') log({ step: 'both', statuses: answers.map((a) => a.status).sort() });
}
`;

function browserEnv(mode: 'ok' | 'forge' | 'twice'): Record<string, string> {
  return {
    SWROLE_BROWSER: `${quote(process.execPath)} ${quote(join(box.dir, 'browser.mjs'))}`,
    BROWSER_MODE: mode,
    BROWSER_LOG: browserLog(),
  };
}

function browserSteps(): Record<string, unknown>[] {
  return existsSync(browserLog())
    ? readFileSync(browserLog(), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
}

/** `swrole ARGS` in a pseudo-terminal (a person at it): `script` gives it a controlling tty. */
function inTerminal(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const line = [process.execPath, DIST, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replaceAll('\r\n', '\n') });
    });
  });
}

/** The person's env for the Python tools (pyenv finds its interpreter by PYENV_ROOT, not the sandbox HOME). */
function pythonEnv(): Record<string, string> {
  return { ...personEnv(), PYENV_ROOT: process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), PYTHONDONTWRITEBYTECODE: '1' };
}

/** botocore (the image's Python) resolving a profile from the same HOME: the access key, or its error. */
async function botocore(profile: string): Promise<{ key?: string; error?: string }> {
  const py = `import boto3, json, sys
try:
    c = boto3.Session(profile_name=sys.argv[1]).get_credentials().get_frozen_credentials()
    print(json.dumps({"key": c.access_key}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__ + ": " + str(e)}))
`;
  // Asynchronously: the emulator answers from this process.
  const out = await runDetached('python3', ['-c', py, profile], pythonEnv(), '', 60_000);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout) as { key?: string; error?: string };
}

useEmulatorSandbox(
  (fixture) => {
    ({ emu, box } = fixture);
    writeFileSync(join(box.dir, 'browser.mjs'), BROWSER);
  },
  { world: ssoWorld(), config: ssoConfig() },
);

describe('swrole login: IAM Identity Center sign-in (issue 11)', () => {
  it('A6: no terminal (a pipe, an agent) and no token → E_SSO_LOGIN_REQUIRED in < 1 s naming `swrole login dev`; zero OIDC calls, no browser', async () => {
    emu.reset();
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
    emu.reset();
    const login = await inTerminal(['login', 'dev', '--device-code'], personEnv());
    assert.equal(login.code, 0, login.output);
    const start = emu.calls().find((c) => c.action === 'StartDeviceAuthorization');
    assert.ok(start);
    assert.match(login.output, /https:\/\/device\.sso\.us-east-1\.amazonaws\.com\/\n/);
    assert.match(login.output, /and enter the code\n\n {2}[A-Z0-9]{4}-[A-Z0-9]{4}\n/);
    assert.match(login.output, /swrole: signed in to IAM Identity Center sso-session "corp"/);
    assert.match(login.output, /swrole: profile "dev" ready until /);
    const register = emu.calls().filter((c) => c.action === 'RegisterClient');
    assert.equal(register.length, 1);
    assert.equal(register[0]!.params.scopes, 'sso:account:access');
    assert.equal(register[0]!.params.grantTypes, undefined, 'a device registration, as the CLI makes');

    const text = readFileSync(tokenPath(), 'utf8');
    const token = JSON.parse(text) as Record<string, string>;
    assert.deepEqual(Object.keys(token), [
      'startUrl',
      'region',
      'accessToken',
      'expiresAt',
      'clientId',
      'clientSecret',
      'registrationExpiresAt',
      'refreshToken',
    ]);
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

    const before = emu.counts();
    const boto = await botocore('dev');
    assert.match(boto.key ?? '', /^ASIA/, JSON.stringify(boto));
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], pythonEnv(), '', 60_000);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(JSON.parse(cli.stdout).Arn, /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/);
    const after = emu.counts();
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
    emu.reset();
    rmSync(browserLog(), { force: true });
    const old = readFileSync(tokenPath(), 'utf8');
    const login = await inTerminal(['login', 'dev', '--force'], personEnv(browserEnv('twice')));
    assert.equal(login.code, 0, login.output);
    assert.match(
      login.output,
      /in your browser\. If it does not open, open this URL:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&client_id=/,
    );
    const register = emu.calls().find((c) => c.action === 'RegisterClient');
    assert.equal(register?.params.redirectUris, 'http://127.0.0.1/oauth/callback');
    assert.equal(register?.params.grantTypes, 'authorization_code refresh_token');
    assert.equal(register?.params.issuerUrl, 'https://d-1234567890.awsapps.com/start');
    const authorize = emu.calls().find((c) => c.action === 'Authorize');
    const exchange = emu.calls().find((c) => c.action === 'CreateToken');
    assert.match(authorize?.params.redirectUri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    assert.equal(exchange?.params.grantType, 'authorization_code');
    assert.equal(exchange?.params.redirectUri, authorize?.params.redirectUri, 'CreateToken repeats the redirect URI with its port');
    assert.equal(exchange?.code, 'OK');
    const steps = browserSteps();
    assert.equal(steps.find((s) => s.step === 'authorize')?.status, 302);
    const callback = steps.find((s) => s.step === 'callback') as { status: number; headers: Record<string, string> };
    assert.equal(callback.headers['cache-control'], 'no-store');
    assert.equal(callback.headers['x-frame-options'], 'DENY');
    assert.deepEqual(steps.find((s) => s.step === 'both')?.statuses, [200, 409], 'one callback taken, the other refused');
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
    const before = emu.counts();
    rmSync(browserLog(), { force: true });
    const old = readFileSync(tokenPath(), 'utf8');
    const login = await inTerminal(['login', 'dev', '--force', '--debug'], personEnv(browserEnv('forge')));
    assert.equal(login.code, 4, login.output);
    assert.match(login.output, /code: E_SSO_LOGIN_FAILED/);
    assert.match(login.output, /State parameter does not match expected value\./);
    assert.equal(browserSteps().find((s) => s.step === 'callback')?.status, 400);
    assert.equal(emu.counts().CreateToken, before.CreateToken);
    assert.equal(emu.counts().Authorize, (before.Authorize ?? 0) + 1);
    assert.equal(emu.counts().RegisterClient, before.RegisterClient, 'the authorization-code registration of the last login is reused');
    assert.equal(readFileSync(tokenPath(), 'utf8'), old);
  });

  it('no browser and no display: the device code automatically; a legacy profile signs in without scopes to sha1(start URL)', async () => {
    emu.reset();
    const session = await inTerminal(['login', 'not-mine', '--force', '--debug'], personEnv());
    // not-mine's role is not assigned: the sign-in works, the role is refused as botocore says it.
    assert.equal(session.code, 4, session.output);
    assert.equal(emu.counts().StartDeviceAuthorization, 1);
    assert.match(session.output, /and enter the code/);
    assert.match(session.output, /signed in to IAM Identity Center sso-session "corp"/);
    assert.match(session.output, /code: E_SSO_NO_ACCESS/);
    assert.match(session.output, /An error occurred \(ForbiddenException\) when calling the GetRoleCredentials operation: No access/);
    assert.doesNotMatch(session.output, /hint: .*swrole login/);

    emu.reset();
    const legacy = await inTerminal(['login', 'legacy'], personEnv());
    assert.equal(legacy.code, 0, legacy.output);
    const register = emu.calls().find((c) => c.action === 'RegisterClient');
    assert.equal(register?.params.scopes, undefined, 'legacy: no scopes, as botocore');
    assert.match(register?.params.clientName ?? '', /^swrole-client-\d+$/);
    const token = JSON.parse(readFileSync(tokenPath(LEGACY_TOKEN_FILE), 'utf8')) as Record<string, string>;
    assert.equal(token.refreshToken, undefined);
    assert.match((await botocore('legacy')).key ?? '', /^ASIA/);
  });
});
