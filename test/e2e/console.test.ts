// `swrole console` as a user runs it (the built dist/), against the STS emulator and its federation endpoint
// (AWS_ENDPOINT_URL_SIGNIN): the URL and the 302 for a role (C1), an IAM user through GetFederationToken (C2) and a
// chained role (C3); the refusals (C4: GetSessionToken credentials; inside an agent; bad flags); the browser.
import '../helpers/silence-sdk-node-warning.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { type CallRecord, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import {
  ACCOUNT_A,
  BASE_ACCOUNT,
  MFA_SECRET,
  MFA_SERIAL,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_SECRET_ACCESS_KEY,
  userCredentials,
} from '../helpers/emulator-world.js';
import { runSwrole, type RunResult, type Sandbox } from '../helpers/swrole-run.js';
import { requestSigninToken } from '../../src/console/request-signin-token.js';

let emu: EmulatorHandle;
let box: Sandbox;

useEmulatorSandbox((fixture) => {
  ({ emu, box } = fixture);
  // An IAM user with an MFA device, for "the MFA session is never passed to GetFederationToken".
  appendFileSync(
    box.credentialsFile,
    `\n[mfauser]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key = ${USER_SECRET_ACCESS_KEY}\n`,
  );
  appendFileSync(box.configFile, `\n[profile mfauser]\nmfa_serial = ${MFA_SERIAL}\nregion = us-east-1\n`);
});

/** swrole on the emulator's clock, its sign-in calls to the emulator's /federation. */
function swrole(args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  return runSwrole(args, {
    ...box.env,
    AWS_ENDPOINT_URL_SIGNIN: emu.url,
    SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
    ...extra,
  });
}

function since(mark: number): CallRecord[] {
  return emu.calls().slice(mark);
}

/** The one URL on stdout, parsed; asserts stdout holds nothing else. */
function loginUrl(r: RunResult): URL {
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stdout);
  return new URL(lines[0]!);
}

async function follow(url: URL): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

async function loginA(): Promise<void> {
  emu.advance(30);
  const r = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
  assert.equal(r.code, 0, r.stderr);
}

describe('swrole console', () => {
  it('C1 role profile: getSigninToken with the role session, one URL on stdout, the emulator 302s to the destination, dead after 15 min', async () => {
    const mark = emu.calls().length;
    const url = loginUrl(await swrole(['console', 'nomfa', '--print']));
    assert.equal(`${url.origin}${url.pathname}`, `${emu.url}/federation`);
    assert.deepEqual([...url.searchParams.keys()], ['Action', 'Issuer', 'Destination', 'SigninToken']);
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('Issuer'), 'swrole');
    assert.equal(url.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    assert.match(url.search, /&Destination=https%3A%2F%2Feu-west-1\.console\.aws\.amazon\.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1&/);
    const signin = since(mark).filter((c) => c.action === 'getSigninToken');
    assert.equal(signin.length, 1);
    assert.match(signin[0]!.callerArn!, new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleNoMfa/`));
    assert.deepEqual(signin[0]!.params, {}, 'no SessionDuration unless asked for');
    const landed = await follow(url);
    assert.equal(landed.status, 302);
    assert.equal(landed.headers.get('location'), 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');

    // A role assumed with long-term keys may have a console session up to 12 h.
    const long = loginUrl(await swrole(['console', 'nomfa', '--print', '--duration', '12h', '--service', 's3']));
    assert.equal(long.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1');
    assert.equal(
      emu
        .calls()
        .filter((c) => c.action === 'getSigninToken')
        .at(-1)!.params.SessionDuration,
      '43200',
    );
    emu.advance(15 * 60);
    assert.equal((await follow(long)).status, 400, 'the sign-in token is dead after 15 minutes');
  });

  it('C2 IAM user: GetFederationToken with the long-term keys (Name ≤ 32, allow-all policy, DurationSeconds), then getSigninToken without SessionDuration', async () => {
    await loginA(); // an MFA session of the same user exists: it must not be what GetFederationToken is called with
    const mark = emu.calls().length;
    const url = loginUrl(await swrole(['console', 'mfauser', '--print', '--duration', '2h']));
    const calls = since(mark);
    assert.deepEqual(
      calls.map((c) => c.action),
      ['GetCallerIdentity', 'GetFederationToken', 'getSigninToken'],
    );
    const [identity, gft, signin] = calls as [CallRecord, CallRecord, CallRecord];
    assert.equal(identity.callerArn, USER_ARN);
    assert.equal(gft.code, 'OK', 'an MFA session would get "Cannot call GetFederationToken with session credentials"');
    assert.equal(gft.callerArn, USER_ARN);
    assert.equal(gft.params.Name, 'example.user');
    assert.ok(gft.params.Name!.length <= 32);
    assert.equal(gft.params.DurationSeconds, '7200');
    assert.deepEqual(JSON.parse(gft.params.Policy!), {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    assert.equal(signin.callerArn, `arn:aws:sts::${BASE_ACCOUNT}:federated-user/example.user`);
    assert.deepEqual(signin.params, {}, 'never a SessionDuration with a GetFederationToken session');
    assert.ok(!calls.some((c) => c.action === 'GetSessionToken'));
    assert.equal(url.searchParams.get('Destination'), 'https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
    assert.equal((await follow(url)).status, 302);
    // Default duration: 1 h.
    const mark2 = emu.calls().length;
    loginUrl(await swrole(['console', 'base', '--print', '--region', 'us-east-1']));
    assert.equal(since(mark2).find((c) => c.action === 'GetFederationToken')!.params.DurationSeconds, '3600');
  });

  it('C3 chained role and MFA-session role: SessionDuration capped at 3600 (with a notice) or omitted, never more', async () => {
    await loginA();
    const mark = emu.calls().length;
    const capped = await swrole(['console', 'chained', '--print', '--duration', '8h']);
    const url = loginUrl(capped);
    assert.match(capped.stderr, /console session capped at 1 h \(asked for 28800 s\)/);
    const viaMfa = loginUrl(await swrole(['console', 'a', '--print', '--duration', '2h']));
    loginUrl(await swrole(['console', 'chained', '--print']));
    const durations = since(mark)
      .filter((c) => c.action === 'getSigninToken')
      .map((c) => [c.callerArn!.split('/')[1], c.params.SessionDuration ?? null, c.code]);
    assert.deepEqual(durations, [
      ['RoleChained', '3600', 'OK'],
      ['RoleA', '3600', 'OK'],
      ['RoleChained', null, 'OK'],
    ]);
    assert.equal((await follow(url)).status, 302);
    assert.equal((await follow(viaMfa)).status, 302);
  });

  it('C4 refusals: GetSessionToken credentials (E_CONSOLE_CREDENTIALS, exit 3) with the hint, nothing sent to the sign-in service', async () => {
    const client = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: userCredentials(),
      maxAttempts: 1,
      systemClockOffset: emu.now() - Date.now(),
    });
    const gst = (await client.send(new GetSessionTokenCommand({}))).Credentials!;
    client.destroy();
    appendFileSync(
      box.credentialsFile,
      `\n[gst]\naws_access_key_id = ${gst.AccessKeyId}\naws_secret_access_key = ${gst.SecretAccessKey}\naws_session_token = ${gst.SessionToken}\n`,
    );
    const mark = emu.calls().length;
    const r = await swrole(['console', 'gst', '--print', '--region', 'us-east-1', '--debug']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /code: E_CONSOLE_CREDENTIALS/);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /GetSessionToken session .* can neither sign in to the console nor call GetFederationToken/);
    assert.match(r.stderr, /hint: use a profile that assumes a role \(role_arn\), or the IAM user's long-term keys/);
    assert.deepEqual(
      since(mark).map((c) => c.action),
      ['GetCallerIdentity'],
    );
  });

  it('C4 refusals: inside an agent without --print (E_CONSOLE_AGENT, before any AWS call); with --print it prints', async () => {
    const mark = emu.calls().length;
    const refused = await swrole(['console', 'nomfa', '--debug'], {
      CLAUDECODE: '1',
      SWROLE_BROWSER: `${process.execPath} -e "require('fs').writeFileSync('/dev/null','')"`,
    });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /not opening a browser inside Claude Code/);
    assert.match(refused.stderr, /code: E_CONSOLE_AGENT/);
    assert.equal(emu.calls().length, mark);
    loginUrl(await swrole(['console', 'nomfa', '--print'], { CLAUDECODE: '1' }));
  });

  it('usage errors: --destination with --service, a non-https destination, a bad service, a duration out of range; an isolated partition', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['--destination', 'https://x.example/', '--service', 's3'], 2, /exclude each other/],
      [['--destination', 'http://x.example/'], 2, /https URL/],
      [['--service', 'S3; rm'], 2, /console service name/],
      [['--duration', '13h'], 2, /15m to 12h/],
      [['--region', 'us-iso-east-1'], 3, /isolated AWS partition/],
    ];
    const mark = emu.calls().length;
    for (const [args, code, message] of cases) {
      const r = await swrole(['console', 'nomfa', '--print', ...args]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(emu.calls().length, mark, 'no AWS call for any of them');
  });

  it('opens the browser: SWROLE_BROWSER gets the URL as one argument, nothing on stdout; the URL works', async () => {
    const seen = join(box.dir, 'browser-args.json');
    const browser = join(box.dir, 'browser.cjs');
    writeFileSync(browser, `require('fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(2)));\n`);
    const r = await swrole(['console', 'nomfa'], { SWROLE_BROWSER: `'${process.execPath}' '${browser}'` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /opened the AWS console as arn:aws:sts::111111111111:assumed-role\/RoleNoMfa\/\S+ \(SWROLE_BROWSER\)/);
    for (let i = 0; i < 100 && !existsSync(seen); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const args = JSON.parse(readFileSync(seen, 'utf8')) as string[];
    assert.equal(args.length, 1);
    assert.equal((await follow(new URL(args[0]!))).status, 302);
    const missing = await swrole(['console', 'nomfa'], { SWROLE_BROWSER: '/nonexistent/browser' });
    assert.equal(missing.code, 6, missing.stderr);
    assert.match(missing.stderr, /hint: set SWROLE_BROWSER or BROWSER .* or pass --print/);
  });

  it('E_CONSOLE_SIGNIN: the sign-in call is bounded in time and its failures are reported with the status', async () => {
    const hang: Server = createServer(() => {});
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const port = (hang.address() as { port: number }).port;
    const creds = { accessKeyId: 'ASIAEXAMPLE000000000', secretAccessKey: 's', sessionToken: 't' };
    const started = performance.now();
    await assert.rejects(
      requestSigninToken({
        federation: `http://127.0.0.1:${port}/federation`,
        credentials: creds,
        sessionDurationSeconds: undefined,
        profile: 'p',
        timeoutMs: 300,
      }),
      (e: Error & { code?: string }) => e.code === 'E_CONSOLE_SIGNIN' && /no answer within 0\.3 s/.test(e.message),
    );
    assert.ok(performance.now() - started < 3000);
    hang.closeAllConnections();
    await new Promise<void>((resolve) => hang.close(() => resolve()));
    // The emulator refuses credentials it does not know: status and its text in the message.
    await assert.rejects(
      requestSigninToken({ federation: `${emu.url}/federation`, credentials: creds, sessionDurationSeconds: undefined, profile: 'p' }),
      (e: Error & { code?: string }) =>
        e.code === 'E_CONSOLE_SIGNIN' && /HTTP 400: The credentials in the session are invalid/.test(e.message),
    );
  });
});
