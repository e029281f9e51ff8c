// The emulator driven by the real AWS SDK for JS v3 over loopback HTTP.
import '../helpers/silence-sdk-node-warning.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, beforeEach, describe, it } from 'node:test';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import {
  BASE_ACCOUNT,
  EXTERNAL_ID,
  MFA_SECRET,
  MFA_SERIAL,
  ROLE_A_ARN,
  ROLE_CHAINED_ARN,
  ROLE_EXTERNAL_ID_ARN,
  ROLE_NO_MFA_ARN,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_SECRET_ACCESS_KEY,
  sampleWorld,
  userCredentials,
  ROLE_WEB_IDENTITY_ARN,
  WEB_IDENTITY_TOKEN,
  WEB_IDENTITY_SUBJECT,
  ROOT_ACCESS_KEY_ID,
  ROOT_SECRET_ACCESS_KEY,
} from '../helpers/emulator-world.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let emu: EmulatorHandle;
const clients: STSClient[] = [];
function sts(credentials: Creds, extra: Partial<STSClientConfig> = {}): STSClient {
  const client = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
  clients.push(client);
  return client;
}
const fromResult = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});

async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });
beforeEach(() => emu.reset());
after(() => {
  for (const c of clients) c.destroy();
});

describe('emulator with the AWS SDK for JS v3', () => {
  it('GetCallerIdentity with a world user’s keys', async () => {
    const out = await sts(userCredentials()).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, USER_ARN);
    assert.equal(out.Account, BASE_ACCOUNT);
    assert.match(out.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.match(out.$metadata.requestId!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(emu.counts(), { GetCallerIdentity: 1 });
    assert.equal(emu.calls()[0]!.callerArn, USER_ARN);
  });

  it('a wrong secret → SignatureDoesNotMatch; an unknown key → InvalidClientTokenId', async () => {
    await rejects(
      sts({ accessKeyId: USER_ACCESS_KEY_ID, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})),
      'SignatureDoesNotMatch',
      /^The request signature we calculated does not match/,
    );
    await rejects(
      sts({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
    assert.deepEqual(
      emu.calls().map((c) => c.code),
      ['SignatureDoesNotMatch', 'InvalidClientTokenId'],
    );
  });

  it('AssumeRole of an MFA-conditioned role: denied without MFA, allowed with a correct TOTP', async () => {
    const client = sts(userCredentials());
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_A_ARN, RoleSessionName: 'no-mfa' })),
      'AccessDenied',
      `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_A_ARN}`,
    );
    await rejects(
      client.send(
        new AssumeRoleCommand({
          RoleArn: ROLE_A_ARN,
          RoleSessionName: 'bad',
          SerialNumber: MFA_SERIAL,
          TokenCode: '000000' === totp(MFA_SECRET, emu.now()) ? '111111' : '000000',
        }),
      ),
      'AccessDenied',
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    const code = totp(MFA_SECRET, emu.now());
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: ROLE_A_ARN, RoleSessionName: 'with-mfa', SerialNumber: MFA_SERIAL, TokenCode: code }),
    );
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::111111111111:assumed-role/RoleA/with-mfa');
    const who = await sts(fromResult(out.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:sts::111111111111:assumed-role/RoleA/with-mfa');
    assert.equal(who.UserId, out.AssumedRoleUser!.AssumedRoleId);
    // The same code again for the same device is refused (AWS rejects reused codes).
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_A_ARN, RoleSessionName: 'again', SerialNumber: MFA_SERIAL, TokenCode: code })),
      'AccessDenied',
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    const logged = emu.calls().filter((c) => c.action === 'AssumeRole');
    assert.ok(
      logged.every((c) => !('TokenCode' in c.params)),
      'TokenCode never logged',
    );
    assert.deepEqual(
      logged.map((c) => c.code),
      ['AccessDenied', 'AccessDenied', 'OK', 'AccessDenied'],
    );
  });

  it('GetSessionToken with MFA, then AssumeRole with those credentials → allowed (as a chained session)', async () => {
    const gst = await sts(userCredentials()).send(
      new GetSessionTokenCommand({ SerialNumber: MFA_SERIAL, TokenCode: totp(MFA_SECRET, emu.now()), DurationSeconds: 129600 }),
    );
    const session = fromResult(gst.Credentials);
    assert.equal(gst.Credentials!.Expiration!.getTime(), Math.floor((emu.now() + 129600_000) / 1000) * 1000);
    const client = sts(session);
    assert.equal((await client.send(new GetCallerIdentityCommand({}))).Arn, USER_ARN);
    const role = await client.send(new AssumeRoleCommand({ RoleArn: ROLE_A_ARN, RoleSessionName: 'from-session' }));
    assert.equal(role.AssumedRoleUser!.Arn, 'arn:aws:sts::111111111111:assumed-role/RoleA/from-session');
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'long', DurationSeconds: 7200 })),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await rejects(client.send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
  });

  it('a chained AssumeRole asking 7200 s → the chaining ValidationError; 3600 s works', async () => {
    const first = await sts(userCredentials()).send(
      new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'hop1', DurationSeconds: 7200, SourceIdentity: 'alice' }),
    );
    const hop = sts(fromResult(first.Credentials));
    await rejects(
      hop.send(new AssumeRoleCommand({ RoleArn: ROLE_CHAINED_ARN, RoleSessionName: 'hop2', DurationSeconds: 7200 })),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const second = await hop.send(new AssumeRoleCommand({ RoleArn: ROLE_CHAINED_ARN, RoleSessionName: 'hop2' }));
    assert.equal(second.SourceIdentity, 'alice', 'SourceIdentity carried through the chain');
    assert.equal(second.AssumedRoleUser!.Arn, 'arn:aws:sts::111111111111:assumed-role/RoleChained/hop2');
  });

  it('ExternalId mismatch → AccessDenied; match → allowed; MaxSessionDuration enforced', async () => {
    const client = sts(userCredentials());
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_EXTERNAL_ID_ARN, RoleSessionName: 'ext', ExternalId: 'wrong-id' })),
      'AccessDenied',
      `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_EXTERNAL_ID_ARN}`,
    );
    const ok = await client.send(new AssumeRoleCommand({ RoleArn: ROLE_EXTERNAL_ID_ARN, RoleSessionName: 'ext', ExternalId: EXTERNAL_ID }));
    assert.ok(ok.Credentials?.SessionToken);
    await rejects(
      client.send(
        new AssumeRoleCommand({ RoleArn: ROLE_EXTERNAL_ID_ARN, RoleSessionName: 'ext', ExternalId: EXTERNAL_ID, DurationSeconds: 7200 }),
      ),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_EXTERNAL_ID_ARN, RoleSessionName: 'has space', DurationSeconds: 600 })),
      'ValidationError',
      "2 validation errors detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('session policies and tags are validated, recorded and PackedPolicySize returned', async () => {
    const out = await sts(userCredentials()).send(
      new AssumeRoleCommand({
        RoleArn: ROLE_NO_MFA_ARN,
        RoleSessionName: 'agent',
        Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}',
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
        Tags: [{ Key: 'agent', Value: 'claude code' }],
        TransitiveTagKeys: ['agent'],
      }),
    );
    assert.ok(out.PackedPolicySize! >= 1 && out.PackedPolicySize! <= 100);
    const params = emu.calls().at(-1)!.params;
    assert.equal(params['Tags.member.1.Value'], 'claude code');
    assert.equal(params['PolicyArns.member.1.arn'], 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    await rejects(
      sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'agent', Policy: '{not json' })),
      'MalformedPolicyDocumentException',
      'The policy is not in the valid JSON format.',
    );
  });

  it('an expired session (clock advanced) → ExpiredToken', async () => {
    // Its own emulator: the advanced clock must not leak into the other tests' signature window.
    const shared = emu;
    emu = await startEmulator({ world: sampleWorld() });
    try {
      await expireSession();
    } finally {
      await emu.close();
      emu = shared;
    }
  });

  async function expireSession(): Promise<void> {
    const out = await sts(userCredentials()).send(
      new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'short', DurationSeconds: 900 }),
    );
    const client = sts(fromResult(out.Credentials));
    await client.send(new GetCallerIdentityCommand({}));
    emu.advance(901);
    await rejects(client.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 'The security token included in the request is expired');
    assert.equal(emu.calls().at(-1)!.code, 'ExpiredToken');
  }

  it('a signature outside the 15-minute window → SignatureDoesNotMatch "Signature expired"', async () => {
    await rejects(
      sts(userCredentials(), { systemClockOffset: -16 * 60_000 }).send(new GetCallerIdentityCommand({})),
      'SignatureDoesNotMatch',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
    );
  });

  for (const [fault, code, status] of [
    [{ code: 'Throttling' }, 'Throttling', 400],
    [{ status: 500 }, 'InternalFailure', 500],
    [{ status: 503 }, 'ServiceUnavailable', 503],
  ] as const) {
    it(`an injected ${code} fault reaches the client as ${code} (${status})`, async () => {
      emu.inject({ ...fault, action: 'GetCallerIdentity' });
      await assert.rejects(
        sts(userCredentials()).send(new GetCallerIdentityCommand({})),
        (e: Error & { $metadata: { httpStatusCode: number } }) => {
          assert.equal(e.name, code);
          assert.equal(e.$metadata.httpStatusCode, status);
          return true;
        },
      );
      assert.equal((await sts(userCredentials()).send(new GetCallerIdentityCommand({}))).Arn, USER_ARN, 'fault used once');
    });
  }

  it('injected malformed body, dropped connection and delay are seen by the client', async () => {
    emu.inject({ malformed: true });
    await assert.rejects(sts(userCredentials()).send(new GetCallerIdentityCommand({})), (e: Error) => {
      assert.notEqual(e.name, 'AccessDenied');
      return true;
    });
    emu.inject({ drop: true });
    await assert.rejects(sts(userCredentials()).send(new GetCallerIdentityCommand({})), (e: Error & { code?: string }) => {
      assert.match(`${e.name} ${e.code ?? ''} ${e.message}`, /ECONNRESET|socket hang up|TimeoutError|closed/i);
      return true;
    });
    emu.inject({ delayMs: 300 });
    const start = performance.now();
    await sts(userCredentials()).send(new GetCallerIdentityCommand({}));
    assert.ok(performance.now() - start >= 290);
    assert.deepEqual(
      emu.calls().map((c) => c.code),
      ['MALFORMED', 'DROPPED', 'OK'],
    );
  });

  it('AssumeRoleWithWebIdentity (unsigned) with a registered token; unknown token refused; never logged', async () => {
    const client = sts({ accessKeyId: 'unused', secretAccessKey: 'unused' });
    const out = await client.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_WEB_IDENTITY_ARN, RoleSessionName: 'ci', WebIdentityToken: WEB_IDENTITY_TOKEN }),
    );
    assert.equal(out.SubjectFromWebIdentityToken, WEB_IDENTITY_SUBJECT);
    assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::111111111111:assumed-role/RoleWebIdentity/ci');
    await rejects(
      client.send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_WEB_IDENTITY_ARN, RoleSessionName: 'ci', WebIdentityToken: 'not-a-token' }),
      ),
      'InvalidIdentityTokenException',
    );
    assert.ok(emu.calls().every((c) => !('WebIdentityToken' in c.params)));
  });

  it('root keys cannot assume roles', async () => {
    await rejects(
      sts({ accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET_ACCESS_KEY }).send(
        new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'root' }),
      ),
      'AccessDenied',
      'Roles may not be assumed by root accounts.',
    );
  });

  it('console federation: a sign-in token for role credentials, refused for GetSessionToken credentials', async () => {
    const role = await sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'console' }));
    const session = (c: typeof role.Credentials) =>
      encodeURIComponent(JSON.stringify({ sessionId: c!.AccessKeyId, sessionKey: c!.SecretAccessKey, sessionToken: c!.SessionToken }));
    const ok = await fetch(`${emu.url}/federation?Action=getSigninToken&SessionDuration=3600&Session=${session(role.Credentials)}`);
    assert.equal(ok.status, 200);
    const { SigninToken } = (await ok.json()) as { SigninToken: string };
    assert.match(SigninToken, /^[\w-]{40,}$/);
    const login = await fetch(
      `${emu.url}/federation?Action=login&Issuer=x&Destination=${encodeURIComponent('https://console.aws.amazon.com/')}&SigninToken=${SigninToken}`,
      { redirect: 'manual' },
    );
    assert.equal(login.status, 302);
    const gst = await sts(userCredentials()).send(new GetSessionTokenCommand({}));
    assert.equal((await fetch(`${emu.url}/federation?Action=getSigninToken&Session=${session(gst.Credentials)}`)).status, 400);
    assert.ok(!JSON.stringify(emu.calls()).includes(role.Credentials!.SecretAccessKey!), 'no secret in the call log');
  });

  it('works from a child node process via AWS_ENDPOINT_URL_STS', async () => {
    const script = `import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const out = await new STSClient({}).send(new GetCallerIdentityCommand({}));
process.stdout.write(JSON.stringify({ Arn: out.Arn, Account: out.Account }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_STS: emu.url,
        AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { Arn: USER_ARN, Account: BASE_ACCOUNT });
  });
});
