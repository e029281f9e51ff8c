// The emulator's console federation endpoint is strict (docs/reference/sso-keyring-console.md D.1): which credentials
// it accepts, the SessionDuration rules, the 15-minute sign-in token and the 302 of the login URL. Driven by the
// real AWS SDK for JS v3 for the credentials and plain fetch for the federation calls, as swrole makes them.
import '../helpers/silence-sdk-node-warning.js';
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials as SdkCredentials,
} from '@aws-sdk/client-sts';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import {
  ACCOUNT_A,
  BASE_ACCOUNT,
  ROLE_CHAINED_ARN,
  ROLE_NO_MFA_ARN,
  ROLE_WEB_IDENTITY_ARN,
  USER_NAME,
  USER_ACCESS_KEY_ID,
  USER_SECRET_ACCESS_KEY,
  WEB_IDENTITY_TOKEN,
  userCredentials,
} from '../helpers/emulator-world.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let emu: EmulatorHandle;
const clients: STSClient[] = [];
function sts(credentials?: Creds): STSClient {
  const client = new STSClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: credentials ?? { accessKeyId: '', secretAccessKey: '' },
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}
const creds = (c: SdkCredentials | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

async function signinToken(c: Creds, sessionDuration?: number): Promise<{ status: number; token?: string; body: string }> {
  const session = encodeURIComponent(
    JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken ?? '' }),
  );
  const duration = sessionDuration === undefined ? '' : `&SessionDuration=${sessionDuration}`;
  const res = await fetch(`${emu.url}/federation?Action=getSigninToken${duration}&Session=${session}`);
  const body = await res.text();
  return { status: res.status, body, ...(res.status === 200 ? { token: (JSON.parse(body) as { SigninToken: string }).SigninToken } : {}) };
}

function login(token: string, destination = 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1'): Promise<Response> {
  return fetch(
    `${emu.url}/federation?Action=login&Issuer=swrole&Destination=${encodeURIComponent(destination)}&SigninToken=${encodeURIComponent(token)}`,
    {
      redirect: 'manual',
    },
  );
}

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });
beforeEach(() => emu.reset());
after(() => {
  for (const c of clients) c.destroy();
});

describe('emulator federation endpoint (D.1)', () => {
  it('accepts role, web-identity and GetFederationToken sessions; refuses long-term keys and GetSessionToken sessions', async () => {
    const role = creds(
      (await sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'fed' }))).Credentials,
    );
    const web = creds(
      (
        await sts().send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: ROLE_WEB_IDENTITY_ARN,
            RoleSessionName: 'ci',
            WebIdentityToken: WEB_IDENTITY_TOKEN,
          }),
        )
      ).Credentials,
    );
    const federated = creds(
      (await sts(userCredentials()).send(new GetFederationTokenCommand({ Name: USER_NAME, Policy: ALLOW_ALL }))).Credentials,
    );
    const gst = creds((await sts(userCredentials()).send(new GetSessionTokenCommand({}))).Credentials);
    for (const ok of [role, web, federated]) assert.equal((await signinToken(ok)).status, 200);
    const longTerm = await signinToken({ accessKeyId: USER_ACCESS_KEY_ID, secretAccessKey: USER_SECRET_ACCESS_KEY });
    assert.equal(longTerm.status, 400);
    const session = await signinToken(gst);
    assert.equal(session.status, 400);
    assert.match(session.body, /AssumeRole\* or GetFederationToken/);
    const codes = emu
      .calls()
      .filter((c) => c.action === 'getSigninToken')
      .map((c) => [c.callerArn?.replace(/\/[^/]+$/, ''), c.code]);
    assert.deepEqual(codes, [
      [`arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleNoMfa`, 'OK'],
      [`arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleWebIdentity`, 'OK'],
      [`arn:aws:sts::${BASE_ACCOUNT}:federated-user`, 'OK'],
      [undefined, 'InvalidCredentials'],
      [`arn:aws:iam::${BASE_ACCOUNT}:user`, 'InvalidCredentials'],
    ]);
  });

  it('SessionDuration: 900–43200; never with a GetFederationToken session; at most 3600 for a role assumed with temporary credentials', async () => {
    const direct = creds(
      (await sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'direct' }))).Credentials,
    );
    const chained = creds(
      (await sts(direct).send(new AssumeRoleCommand({ RoleArn: ROLE_CHAINED_ARN, RoleSessionName: 'chained' }))).Credentials,
    );
    const gst = creds((await sts(userCredentials()).send(new GetSessionTokenCommand({}))).Credentials);
    const viaSession = creds(
      (await sts(gst).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'via-gst' }))).Credentials,
    );
    const federated = creds(
      (await sts(userCredentials()).send(new GetFederationTokenCommand({ Name: USER_NAME, Policy: ALLOW_ALL }))).Credentials,
    );

    assert.equal((await signinToken(direct, 43200)).status, 200);
    assert.equal((await signinToken(direct, 899)).status, 400);
    assert.equal((await signinToken(direct, 43201)).status, 400);
    for (const temporary of [chained, viaSession]) {
      assert.equal((await signinToken(temporary, 3600)).status, 200);
      assert.equal((await signinToken(temporary)).status, 200);
      const long = await signinToken(temporary, 3601);
      assert.equal(long.status, 400);
      assert.equal(long.body.trim(), 'Invalid credentials parameter');
    }
    assert.equal((await signinToken(federated)).status, 200);
    assert.equal((await signinToken(federated, 900)).status, 400);
    const refused = emu
      .calls()
      .filter((c) => c.code !== 'OK')
      .map((c) => [c.code, c.params.SessionDuration]);
    assert.deepEqual(refused, [
      ['InvalidSessionDuration', '899'],
      ['InvalidSessionDuration', '43201'],
      ['SessionDurationTooLong', '3601'],
      ['SessionDurationTooLong', '3601'],
      ['SessionDurationNotAllowed', '900'],
    ]);
  });

  it('the sign-in token lives 15 minutes of emulator clock; login answers 302 to an https Destination only', async () => {
    const role = creds(
      (await sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'ttl' }))).Credentials,
    );
    const { token } = await signinToken(role);
    const destination = 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1';
    const ok = await login(token!, destination);
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.get('location'), destination);
    assert.equal((await login(token!, 'http://evil.example/')).status, 400);
    assert.equal((await login(token!, '')).status, 400);
    assert.equal((await login('not-a-token')).status, 400);
    emu.advance(14 * 60 + 59);
    assert.equal((await login(token!)).status, 302, 'still valid at 14:59');
    emu.advance(1);
    const expired = await login(token!);
    assert.equal(expired.status, 400, 'expired at 15:00');
    assert.match(await expired.text(), /invalid or expired/);
  });
});
