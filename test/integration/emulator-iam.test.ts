// The emulator's IAM (the access-key calls `swrole keys rotate` needs) driven by the real @aws-sdk/client-iam over
// loopback HTTP (IAM answers `Code` LimitExceeded / NoSuchEntity; the SDK's model names them …Exception): IAM's quota and errors, the propagation delay of a new key, who may call IAM at all.
import '../helpers/silence-sdk-node-warning.js';
import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { totp } from '../../emulator/totp.js';
import type { World } from '../../emulator/world.js';
import {
  MFA_SECRET,
  MFA_SERIAL,
  OTHER_ACCESS_KEY_ID,
  OTHER_SECRET_ACCESS_KEY,
  ROLE_NO_MFA_ARN,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_NAME,
  USER_SECRET_ACCESS_KEY,
  sampleWorld,
  userCredentials,
} from '../helpers/emulator-world.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let emu: EmulatorHandle;
const clients: Array<{ destroy(): void }> = [];
function iam(credentials: Creds): IAMClient {
  const client = new IAMClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}
function sts(credentials: Creds): STSClient {
  const client = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function rejects(promise: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, code);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

function world(extra: (w: World) => void = () => {}): World {
  const w = sampleWorld();
  w.iam = { propagationSeconds: 5 };
  extra(w);
  return w;
}

async function start(w: World = world()): Promise<void> {
  emu = await startEmulator({ world: w });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await emu?.close();
});
after(() => undefined);

describe('emulator IAM (client-iam over HTTP)', () => {
  beforeEach(() => start());

  it('GetUser and ListAccessKeys describe the calling user and its one key', async () => {
    const user = await iam(userCredentials()).send(new GetUserCommand({}));
    assert.equal(user.User?.UserName, USER_NAME);
    assert.equal(user.User?.Arn, USER_ARN);
    const list = await iam(userCredentials()).send(new ListAccessKeysCommand({}));
    assert.deepEqual(
      list.AccessKeyMetadata?.map((k) => [k.UserName, k.AccessKeyId, k.Status]),
      [[USER_NAME, USER_ACCESS_KEY_ID, 'Active']],
    );
    assert.ok(list.AccessKeyMetadata?.[0]?.CreateDate instanceof Date);
    assert.equal(list.IsTruncated, false);
  });

  it('CreateAccessKey: a new key is unknown (InvalidClientTokenId) until it has propagated, then works', async () => {
    const created = await iam(userCredentials()).send(new CreateAccessKeyCommand({ UserName: USER_NAME }));
    const key = created.AccessKey!;
    assert.match(key.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(key.SecretAccessKey!.length, 40);
    assert.equal(key.Status, 'Active');
    const fresh = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await rejects(
      sts(fresh).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      403,
      'The security token included in the request is invalid.',
    );
    await rejects(iam(fresh).send(new ListAccessKeysCommand({})), 'InvalidClientTokenId', 403);
    emu.advance(5);
    assert.equal((await sts(fresh).send(new GetCallerIdentityCommand({}))).Arn, USER_ARN);
    const list = await iam(fresh).send(new ListAccessKeysCommand({}));
    assert.deepEqual(list.AccessKeyMetadata?.map((k) => k.AccessKeyId).sort(), [USER_ACCESS_KEY_ID, key.AccessKeyId].sort());
  });

  it("IAM's quota: a third key is LimitExceeded (409) and nothing changes", async () => {
    await iam(userCredentials()).send(new CreateAccessKeyCommand({}));
    await rejects(
      iam(userCredentials()).send(new CreateAccessKeyCommand({})),
      'LimitExceededException',
      409,
      'Cannot exceed quota for AccessKeysPerUser: 2',
    );
    assert.equal((await iam(userCredentials()).send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.length, 2);
  });

  it('DeleteAccessKey: the deleted key is refused at once; the log names the key that signed the deletion', async () => {
    const key = (await iam(userCredentials()).send(new CreateAccessKeyCommand({}))).AccessKey!;
    emu.advance(5);
    const fresh = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await iam(fresh).send(new DeleteAccessKeyCommand({ AccessKeyId: USER_ACCESS_KEY_ID, UserName: USER_NAME }));
    await rejects(sts(userCredentials()).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
    const deletion = emu.calls().find((c) => c.action === 'DeleteAccessKey');
    assert.equal(deletion?.callerKeyId, key.AccessKeyId);
    assert.equal(deletion?.params.AccessKeyId, USER_ACCESS_KEY_ID);
    await rejects(
      iam(fresh).send(new DeleteAccessKeyCommand({ AccessKeyId: USER_ACCESS_KEY_ID })),
      'NoSuchEntityException',
      404,
      `The Access Key with id ${USER_ACCESS_KEY_ID} cannot be found.`,
    );
  });

  it('UpdateAccessKey Inactive: the key is refused until it is made Active again', async () => {
    const key = (await iam(userCredentials()).send(new CreateAccessKeyCommand({}))).AccessKey!;
    emu.advance(5);
    const fresh = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await iam(fresh).send(new UpdateAccessKeyCommand({ AccessKeyId: USER_ACCESS_KEY_ID, Status: 'Inactive' }));
    await rejects(sts(userCredentials()).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
    await iam(fresh).send(new UpdateAccessKeyCommand({ AccessKeyId: USER_ACCESS_KEY_ID, Status: 'Active' }));
    assert.equal((await sts(userCredentials()).send(new GetCallerIdentityCommand({}))).Arn, USER_ARN);
  });

  it('an unknown user is NoSuchEntity (404)', async () => {
    await rejects(
      iam(userCredentials()).send(new ListAccessKeysCommand({ UserName: 'nobody' })),
      'NoSuchEntityException',
      404,
      'The user with name nobody cannot be found.',
    );
  });

  it('a GetSessionToken session without MFA cannot call IAM; with MFA it can', async () => {
    const plain = (await sts(userCredentials()).send(new GetSessionTokenCommand({}))).Credentials!;
    const plainCreds = { accessKeyId: plain.AccessKeyId!, secretAccessKey: plain.SecretAccessKey!, sessionToken: plain.SessionToken! };
    await rejects(iam(plainCreds).send(new ListAccessKeysCommand({})), 'InvalidClientTokenId', 403);
    const mfa = (
      await sts(userCredentials()).send(new GetSessionTokenCommand({ SerialNumber: MFA_SERIAL, TokenCode: totp(MFA_SECRET, emu.now()) }))
    ).Credentials!;
    const mfaCreds = { accessKeyId: mfa.AccessKeyId!, secretAccessKey: mfa.SecretAccessKey!, sessionToken: mfa.SessionToken! };
    assert.equal((await iam(mfaCreds).send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.length, 1);
  });

  it('a GetFederationToken session cannot call IAM; a role session must name the user', async () => {
    const fed = (
      await sts(userCredentials()).send(
        new GetFederationTokenCommand({
          Name: 'fed',
          Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
        }),
      )
    ).Credentials!;
    await rejects(
      iam({ accessKeyId: fed.AccessKeyId!, secretAccessKey: fed.SecretAccessKey!, sessionToken: fed.SessionToken! }).send(
        new ListAccessKeysCommand({}),
      ),
      'InvalidClientTokenId',
      403,
    );
    const role = (await sts(userCredentials()).send(new AssumeRoleCommand({ RoleArn: ROLE_NO_MFA_ARN, RoleSessionName: 'ss' })))
      .Credentials!;
    await rejects(
      iam({ accessKeyId: role.AccessKeyId!, secretAccessKey: role.SecretAccessKey!, sessionToken: role.SessionToken! }).send(
        new GetUserCommand({}),
      ),
      'ValidationError',
      400,
      'Must specify userName when calling with non-User credentials',
    );
  });

  it("a user's identity policy decides: other.user may not call iam:ListAccessKeys", async () => {
    await rejects(
      iam({ accessKeyId: OTHER_ACCESS_KEY_ID, secretAccessKey: OTHER_SECRET_ACCESS_KEY }).send(new ListAccessKeysCommand({})),
      'AccessDenied',
      403,
      /is not authorized to perform: iam:ListAccessKeys on resource: user other\.user because no identity-based policy allows/,
    );
  });

  it('a signature scoped to sts is refused by IAM', async () => {
    const client = new IAMClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: userCredentials(),
      maxAttempts: 1,
      signingName: 'sts',
    } as never);
    clients.push(client);
    await rejects(client.send(new ListAccessKeysCommand({})), 'SignatureDoesNotMatch', 403, /scoped to correct service: 'iam'/);
  });
});

describe('emulator IAM: a user whose policy denies IAM without MFA (iamRequiresMfa)', () => {
  beforeEach(() =>
    start(
      world((w) => {
        w.accounts['333333333333']!.users![USER_NAME]!.iamRequiresMfa = true;
      }),
    ),
  );

  it('long-term keys are refused with an explicit deny; the MFA session may call IAM', async () => {
    await rejects(
      iam(userCredentials()).send(new ListAccessKeysCommand({})),
      'AccessDenied',
      403,
      `User: ${USER_ARN} is not authorized to perform: iam:ListAccessKeys on resource: user ${USER_NAME} with an explicit deny in an identity-based policy`,
    );
    const mfa = (
      await sts({ accessKeyId: USER_ACCESS_KEY_ID, secretAccessKey: USER_SECRET_ACCESS_KEY }).send(
        new GetSessionTokenCommand({ SerialNumber: MFA_SERIAL, TokenCode: totp(MFA_SECRET, emu.now()) }),
      )
    ).Credentials!;
    const list = await iam({ accessKeyId: mfa.AccessKeyId!, secretAccessKey: mfa.SecretAccessKey!, sessionToken: mfa.SessionToken! }).send(
      new ListAccessKeysCommand({}),
    );
    assert.equal(list.AccessKeyMetadata?.[0]?.AccessKeyId, USER_ACCESS_KEY_ID);
  });
});

describe("emulator IAM: the user's own policy with an MFA condition (aws:MultiFactorAuthPresent)", () => {
  beforeEach(() =>
    start(
      world((w) => {
        w.accounts['333333333333']!.users![USER_NAME]!.policy = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:GetUser'],
              Resource: USER_ARN,
            },
            {
              Effect: 'Allow',
              Action: 'iam:UpdateAccessKey',
              Resource: USER_ARN,
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
            { Effect: 'Allow', Action: 'sts:*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: 'iam:CreateAccessKey',
              Resource: '*',
              Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
            },
          ],
        };
      }),
    ),
  );

  it('BoolIfExists false denies long-term keys (the key is absent) and lets an MFA session through; Bool true allows only with MFA', async () => {
    const list = await iam(userCredentials()).send(new ListAccessKeysCommand({}));
    assert.equal(list.AccessKeyMetadata?.length, 1, 'no condition on ListAccessKeys: long-term keys may call it');
    await rejects(
      iam(userCredentials()).send(new CreateAccessKeyCommand({})),
      'AccessDenied',
      403,
      `User: ${USER_ARN} is not authorized to perform: iam:CreateAccessKey on resource: user ${USER_NAME} with an explicit deny in an identity-based policy`,
    );
    await rejects(
      iam(userCredentials()).send(new UpdateAccessKeyCommand({ AccessKeyId: USER_ACCESS_KEY_ID, Status: 'Active' })),
      'AccessDenied',
      403,
      /because no identity-based policy allows the iam:UpdateAccessKey action/,
    );
    const mfa = (
      await sts(userCredentials()).send(new GetSessionTokenCommand({ SerialNumber: MFA_SERIAL, TokenCode: totp(MFA_SECRET, emu.now()) }))
    ).Credentials!;
    const session = { accessKeyId: mfa.AccessKeyId!, secretAccessKey: mfa.SecretAccessKey!, sessionToken: mfa.SessionToken! };
    const created = await iam(session).send(new CreateAccessKeyCommand({}));
    assert.match(created.AccessKey?.AccessKeyId ?? '', /^AKIA/);
    await iam(session).send(new UpdateAccessKeyCommand({ AccessKeyId: USER_ACCESS_KEY_ID, Status: 'Active' }));
  });
});
