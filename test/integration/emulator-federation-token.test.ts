// GetFederationToken in the emulator, and the trust-policy refusals that name sts:TagSession /
// sts:SetSourceIdentity, driven by the real AWS SDK for JS v3 (issue 9 §1, §2).
import '../helpers/silence-sdk-node-warning.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, beforeEach, describe, it } from 'node:test';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import {
  BASE_ACCOUNT,
  OTHER_ACCESS_KEY_ID,
  OTHER_SECRET_ACCESS_KEY,
  OTHER_USER_ARN,
  ROLE_ASSUME_ONLY_ARN,
  ROLE_NO_MFA_ARN,
  ROLE_TAGS_ONLY_ARN,
  ROOT_ACCESS_KEY_ID,
  ROOT_SECRET_ACCESS_KEY,
  USER_ARN,
  userCredentials,
} from '../helpers/emulator-world.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let emu: EmulatorHandle;
const clients: STSClient[] = [];
function sts(credentials: Creds): STSClient {
  const client = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}
const fromResult = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:List*', Resource: '*' }] });

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });
beforeEach(() => emu.reset());
after(() => {
  for (const c of clients) c.destroy();
});

describe('emulator: GetFederationToken', () => {
  it('long-term user keys → a federated-user session; GetCallerIdentity names it; the call log records what bounds it', async () => {
    const out = await sts(userCredentials()).send(
      new GetFederationTokenCommand({
        Name: 'swrole-jane-claude',
        PolicyArns: [{ arn: READ_ONLY }],
        Tags: [{ Key: 'swrole:agent', Value: 'claude' }],
      }),
    );
    const arn = `arn:aws:sts::${BASE_ACCOUNT}:federated-user/swrole-jane-claude`;
    assert.equal(out.FederatedUser?.Arn, arn);
    assert.equal(out.FederatedUser?.FederatedUserId, `${BASE_ACCOUNT}:swrole-jane-claude`);
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA/);
    assert.ok(out.PackedPolicySize! > 0);
    const left = out.Credentials!.Expiration!.getTime() - emu.now();
    assert.ok(left > 43_100_000 && left <= 43_200_000, `default 12 h, got ${left} ms`);
    const who = await sts(fromResult(out.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, arn);
    assert.equal(who.UserId, `${BASE_ACCOUNT}:swrole-jane-claude`);
    const call = emu.calls().find((c) => c.action === 'GetFederationToken')!;
    assert.equal(call.params['PolicyArns.member.1.arn'], READ_ONLY);
    assert.deepEqual(call.issued?.permissions, {
      principal: USER_ARN,
      sessionPolicy: { policy: null, policyArns: [READ_ONLY] },
      effective: 'principal ∩ session policy',
      limits: ['no IAM API calls', 'no STS API calls except GetCallerIdentity', 'no MFA context'],
    });
    assert.equal(call.issued?.kind, 'federated');
    assert.equal(call.issued?.mfa, false);
    assert.deepEqual(call.issued?.tags, { 'swrole:agent': 'claude' });
  });

  it('an inline Policy is recorded parsed; without any session policy the session has no permissions', async () => {
    await sts(userCredentials()).send(new GetFederationTokenCommand({ Name: 'with-policy', Policy: POLICY, DurationSeconds: 900 }));
    await sts(userCredentials()).send(new GetFederationTokenCommand({ Name: 'no-policy' }));
    const [withPolicy, noPolicy] = emu.calls();
    assert.deepEqual(withPolicy?.issued?.permissions.sessionPolicy, { policy: JSON.parse(POLICY), policyArns: [] });
    assert.equal(noPolicy?.issued?.permissions.effective, 'none');
  });

  it('validates Name (2–32 of [\\w+=,.@-]) and DurationSeconds (900–129600) with the STS messages', async () => {
    const client = sts(userCredentials());
    await rejects(
      client.send(new GetFederationTokenCommand({ Name: 'x'.repeat(33) })),
      'ValidationError',
      `1 validation error detected: Value '${'x'.repeat(33)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32`,
    );
    await rejects(
      client.send(new GetFederationTokenCommand({ Name: 'jane doe' })),
      'ValidationError',
      "1 validation error detected: Value 'jane doe' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    await rejects(
      client.send(new GetFederationTokenCommand({ Name: 'ok-name', DurationSeconds: 129601 })),
      'ValidationError',
      /Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600/,
    );
    await rejects(
      client.send(new GetFederationTokenCommand({ Name: 'ok-name', DurationSeconds: 899 })),
      'ValidationError',
      /Member must have value greater than or equal to 900/,
    );
    assert.ok(emu.calls().every((c) => c.status === 400));
  });

  it('root keys: a longer duration silently becomes 1 h', async () => {
    const out = await sts({ accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET_ACCESS_KEY }).send(
      new GetFederationTokenCommand({ Name: 'root-fed', DurationSeconds: 7200, Policy: POLICY }),
    );
    const left = out.Credentials!.Expiration!.getTime() - emu.now();
    assert.ok(left > 3500_000 && left <= 3600_000, `expires in ${left} ms`);
  });

  it('packed policy size over the limit → PackedPolicyTooLarge', async () => {
    // Random values do not compress: 50 tags of 128 + 256 characters are far over the packed limit.
    const tags = Array.from({ length: 50 }, (_, i) => ({
      Key: `k${i}${randomBytes(96).toString('hex')}`.slice(0, 128),
      Value: randomBytes(192).toString('base64').replace(/[^\w]/g, '').slice(0, 256),
    }));
    await rejects(
      sts(userCredentials()).send(new GetFederationTokenCommand({ Name: 'big', Policy: POLICY, Tags: tags })),
      'PackedPolicyTooLargeException', // the SDK's name for the wire code PackedPolicyTooLarge
      /^Packed policy consumes \d+% of allotted space, please use smaller policy for this request\.$/,
    );
    assert.equal(emu.calls()[0]?.code, 'PackedPolicyTooLarge');
  });

  it('session credentials (GetSessionToken, role, federated) → AccessDenied with the AWS text', async () => {
    const session = await sts(userCredentials()).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    await rejects(
      sts(fromResult(session.Credentials)).send(new GetFederationTokenCommand({ Name: 'from-session' })),
      'AccessDenied',
      'Cannot call GetFederationToken with session credentials',
    );
    const role = await sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'sess' }));
    await rejects(
      sts(fromResult(role.Credentials)).send(new GetFederationTokenCommand({ Name: 'from-role' })),
      'AccessDenied',
      'Cannot call GetFederationToken with session credentials',
    );
  });

  it('a federated session may call no STS operation but GetCallerIdentity', async () => {
    const fed = await sts(userCredentials()).send(new GetFederationTokenCommand({ Name: 'fed', Policy: POLICY }));
    const client = sts(fromResult(fed.Credentials));
    const arn = `arn:aws:sts::${BASE_ACCOUNT}:federated-user/fed`;
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'sess' })),
      'AccessDenied',
      `User: ${arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_NO_MFA_ARN}`,
    );
    await rejects(client.send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    await rejects(
      client.send(new GetFederationTokenCommand({ Name: 'again' })),
      'AccessDenied',
      'Cannot call GetFederationToken with session credentials',
    );
    assert.equal((await client.send(new GetCallerIdentityCommand({}))).Arn, arn);
  });

  it("the caller's own policy must allow sts:GetFederationToken, and sts:TagSession for tags (resource: the federated user)", async () => {
    const other = sts({ accessKeyId: OTHER_ACCESS_KEY_ID, secretAccessKey: OTHER_SECRET_ACCESS_KEY });
    const arn = `arn:aws:sts::${BASE_ACCOUNT}:federated-user/tagged`;
    await rejects(
      other.send(new GetFederationTokenCommand({ Name: 'tagged', Policy: POLICY, Tags: [{ Key: 'swrole:agent', Value: 'x' }] })),
      'AccessDenied',
      `User: ${OTHER_USER_ARN} is not authorized to perform: sts:TagSession on resource: ${arn}`,
    );
    const untagged = await other.send(new GetFederationTokenCommand({ Name: 'tagged', Policy: POLICY }));
    assert.match(untagged.Credentials!.AccessKeyId!, /^ASIA/);
  });
});

describe('emulator: trust policies name the refused action (AWS text)', () => {
  it('a role trusting only sts:AssumeRole refuses tags (sts:TagSession) and a source identity (sts:SetSourceIdentity)', async () => {
    const client = sts(userCredentials());
    await rejects(
      client.send(
        new AssumeRoleCommand({ RoleArn: ROLE_ASSUME_ONLY_ARN, RoleSessionName: 'sess', Tags: [{ Key: 'swrole:agent', Value: 'x' }] }),
      ),
      'AccessDenied',
      `User: ${USER_ARN} is not authorized to perform: sts:TagSession on resource: ${ROLE_ASSUME_ONLY_ARN}`,
    );
    await rejects(
      client.send(new AssumeRoleCommand({ RoleArn: ROLE_ASSUME_ONLY_ARN, RoleSessionName: 'sess', SourceIdentity: 'jane' })),
      'AccessDenied',
      `User: ${USER_ARN} is not authorized to perform: sts:SetSourceIdentity on resource: ${ROLE_ASSUME_ONLY_ARN}`,
    );
    await rejects(
      client.send(
        new AssumeRoleCommand({
          RoleArn: ROLE_TAGS_ONLY_ARN,
          RoleSessionName: 'sess',
          SourceIdentity: 'jane',
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      ),
      'AccessDenied',
      `User: ${USER_ARN} is not authorized to perform: sts:SetSourceIdentity on resource: ${ROLE_TAGS_ONLY_ARN}`,
    );
    const plain = await client.send(new AssumeRoleCommand({ RoleArn: ROLE_ASSUME_ONLY_ARN, RoleSessionName: 'sess' }));
    assert.match(plain.Credentials!.AccessKeyId!, /^ASIA/);
  });
});
