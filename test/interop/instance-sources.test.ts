// credential_source = Ec2InstanceMetadata / EcsContainer, against a loopback metadata service that hands out
// real emulator session credentials. The image's aws CLI v1 (botocore) reads the same profiles with the same
// environment and is the oracle: both must end up as the same role, and swrole must speak IMDSv2 and the
// container endpoint's Authorization header as botocore does.
import '../helpers/silence-sdk-node-warning.js';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ACCOUNT_A, ROLE_NO_MFA_ARN, userCredentials } from '../helpers/emulator-world.js';
import { runDetached } from '../helpers/run-detached.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';

const IMDS_TOKEN = 'imds-session-token-for-tests';
const ECS_TOKEN = 'ecs-authorization-token-for-tests';
const INSTANCE_ROLE = 'instance-role';

let emu: EmulatorHandle;
let box: Sandbox;
let metadata: Server;
let metadataUrl = '';
let served: Record<string, string> = {};
const requests: Array<{ method: string; path: string; imdsToken: boolean; authorization: string | undefined }> = [];

useEmulatorSandbox(async (fixture) => {
  ({ emu, box } = fixture);
  await startMetadataService();
});
after(() => new Promise<void>((done) => metadata.close(() => done())));

/** A loopback stand-in for IMDS and the ECS credentials endpoint, handing out a GetSessionToken session. */
async function startMetadataService(): Promise<void> {
  // What an instance profile or a task role would hand out: temporary credentials of a principal that
  // RoleNoMfa trusts (the sample user's GetSessionToken session).
  const sts = new STSClient({ region: 'us-east-1', endpoint: emu.url, credentials: userCredentials(), maxAttempts: 1 });
  const { Credentials: c } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
  served = {
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: c!.AccessKeyId!,
    SecretAccessKey: c!.SecretAccessKey!,
    Token: c!.SessionToken!,
    Expiration: c!.Expiration!.toISOString(),
    LastUpdated: new Date().toISOString(),
  };
  metadata = createServer((req, res) => {
    const path = req.url ?? '/';
    const imdsToken = req.headers['x-aws-ec2-metadata-token'] === IMDS_TOKEN;
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path, imdsToken, authorization });
    const reply = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    if (req.method === 'PUT' && path === '/latest/api/token') {
      return req.headers['x-aws-ec2-metadata-token-ttl-seconds'] ? reply(200, IMDS_TOKEN) : reply(400, 'missing ttl');
    }
    if (path.startsWith('/latest/meta-data/')) {
      if (!imdsToken) return reply(401, 'IMDSv2 token required');
      if (path === '/latest/meta-data/iam/security-credentials/') return reply(200, INSTANCE_ROLE);
      if (path === `/latest/meta-data/iam/security-credentials/${INSTANCE_ROLE}`) return reply(200, JSON.stringify(served));
      return reply(404, 'not found');
    }
    if (path === '/task-credentials') {
      if (authorization !== ECS_TOKEN) return reply(401, 'bad authorization');
      return reply(200, JSON.stringify({ ...served, RoleArn: 'arn:aws:iam::333333333333:role/task' }));
    }
    return reply(404, 'not found');
  });
  await new Promise<void>((done) => metadata.listen(0, '127.0.0.1', done));
  metadataUrl = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;

  const config = `[profile ec2]
role_arn = ${ROLE_NO_MFA_ARN}
credential_source = Ec2InstanceMetadata
region = us-east-1

[profile ecs]
role_arn = ${ROLE_NO_MFA_ARN}
credential_source = EcsContainer
region = us-east-1
`;
  writeFileSync(box.configFile, config);
  writeFileSync(box.credentialsFile, '');
  writeFileSync(join(box.dir, 'ecs-token'), ECS_TOKEN);
  writeFileSync(join(box.dir, 'ecs-token-newline'), `${ECS_TOKEN}\n`);
}

function envFor(kind: 'ec2' | 'ecs', extra: Record<string, string> = {}): Record<string, string> {
  const { AWS_EC2_METADATA_DISABLED: _disabled, ...base } = box.env;
  const clock = { SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())), AWS_DEFAULT_REGION: 'us-east-1' };
  if (kind === 'ec2') return { ...base, ...clock, AWS_EC2_METADATA_SERVICE_ENDPOINT: metadataUrl, ...extra };
  return {
    ...box.env,
    ...clock,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${metadataUrl}/task-credentials`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(box.dir, 'ecs-token'),
    ...extra,
  };
}

const roleArnPrefix = `arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleNoMfa/`;

/** swrole process PROFILE, then GetCallerIdentity with what it handed out (through the aws CLI). */
async function swroleIdentity(profile: string, env: Record<string, string>): Promise<string> {
  const r = await runSwrole(['process', profile, '--no-cache'], env);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { Version: number; AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  assert.equal(out.Version, 1);
  assert.match(out.AccessKeyId, /^ASIA/);
  assert.notEqual(out.AccessKeyId, served.AccessKeyId, 'the role, not the instance credentials, is handed out');
  const who = await runDetached(
    'aws',
    ['sts', 'get-caller-identity', '--output', 'json'],
    {
      PATH: env.PATH!,
      HOME: env.HOME!,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_STS: emu.url,
      AWS_ACCESS_KEY_ID: out.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: out.SecretAccessKey,
      AWS_SESSION_TOKEN: out.SessionToken,
    },
    '',
    60_000,
  );
  assert.equal(who.code, 0, who.stderr);
  return (JSON.parse(who.stdout) as { Arn: string }).Arn;
}

async function cliIdentity(profile: string, env: Record<string, string>): Promise<string> {
  const r = await runDetached('aws', ['sts', 'get-caller-identity', '--profile', profile, '--output', 'json'], env, '', 60_000);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { Arn: string }).Arn;
}

describe('credential_source = Ec2InstanceMetadata / EcsContainer (loopback metadata service, aws CLI as oracle)', () => {
  it('Ec2InstanceMetadata: IMDSv2 token first, then the role; swrole and the aws CLI assume the same role', async () => {
    requests.length = 0;
    assert.ok((await swroleIdentity('ec2', envFor('ec2'))).startsWith(roleArnPrefix));
    const ours = requests.map((r) => `${r.method} ${r.path} ${r.imdsToken}`);
    assert.deepEqual(ours, [
      'PUT /latest/api/token false',
      'GET /latest/meta-data/iam/security-credentials/ true',
      `GET /latest/meta-data/iam/security-credentials/${INSTANCE_ROLE} true`,
    ]);
    requests.length = 0;
    assert.ok((await cliIdentity('ec2', envFor('ec2'))).startsWith(roleArnPrefix));
    assert.ok(
      requests.some((r) => r.path === `/latest/meta-data/iam/security-credentials/${INSTANCE_ROLE}` && r.imdsToken),
      'botocore read the same service',
    );
  });

  it('EcsContainer: FULL_URI with the token file as Authorization; swrole and the aws CLI assume the same role', async () => {
    requests.length = 0;
    assert.ok((await swroleIdentity('ecs', envFor('ecs'))).startsWith(roleArnPrefix));
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.authorization]),
      [['GET', '/task-credentials', ECS_TOKEN]],
    );
    assert.ok((await cliIdentity('ecs', envFor('ecs'))).startsWith(roleArnPrefix));
  });

  it('a token file ending in a newline is refused, as botocore refuses it, with the fix named', async () => {
    requests.length = 0;
    const env = envFor('ecs', { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(box.dir, 'ecs-token-newline') });
    const r = await runSwrole(['process', 'ecs', '--no-cache', '--debug'], env);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /code: E_SOURCE_UNAVAILABLE/);
    assert.match(r.stderr, /ecs-token-newline contains a line break[^]*hint: write the token without a trailing newline/);
    assert.doesNotMatch(r.stderr, new RegExp(ECS_TOKEN));
    assert.equal(requests.length, 0);
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--profile', 'ecs'], env, '', 60_000);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /Auth token value is not a legal header value/);
  });

  it('a refused container token: E_SOURCE_UNAVAILABLE, exit 4, bounded retries, the token never printed', async () => {
    const mark = requests.length;
    const r = await runSwrole(
      ['process', 'ecs', '--no-cache', '--debug'],
      envFor('ecs', { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong-token-value' }),
    );
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /code: E_SOURCE_UNAVAILABLE/);
    assert.match(r.stderr, /HTTP 401/);
    assert.doesNotMatch(r.stderr, /wrong-token-value|ecs-authorization-token/);
    // Bounded retries: botocore's 3 attempts, each refused, then the error (not a time budget: a count).
    assert.deepEqual(
      requests.slice(mark).map((q) => `${q.method} ${q.path} ${q.authorization}`),
      Array(3).fill('GET /task-credentials wrong-token-value'),
    );
  });

  it('a container URI that is plain http to a non-loopback host is refused before any request', async () => {
    requests.length = 0;
    const r = await runSwrole(
      ['process', 'ecs', '--no-cache', '--debug'],
      envFor('ecs', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://192.0.2.10/creds' }),
    );
    assert.equal(r.code, 4);
    assert.match(r.stderr, /unsupported host '192\.0\.2\.10'/);
    assert.match(r.stderr, /code: E_SOURCE_UNAVAILABLE/);
    assert.equal(requests.length, 0);
  });

  it('AWS_EC2_METADATA_DISABLED=true: no request, E_SOURCE_UNAVAILABLE at once, as botocore', async () => {
    requests.length = 0;
    const r = await runSwrole(['process', 'ec2', '--no-cache', '--debug'], envFor('ec2', { AWS_EC2_METADATA_DISABLED: 'true' }));
    assert.equal(r.code, 4);
    assert.match(r.stderr, /code: E_SOURCE_UNAVAILABLE/);
    assert.match(r.stderr, /AWS_EC2_METADATA_DISABLED/);
    assert.equal(requests.length, 0);
    const cli = await runDetached(
      'aws',
      ['sts', 'get-caller-identity', '--profile', 'ec2'],
      envFor('ec2', { AWS_EC2_METADATA_DISABLED: 'true' }),
      '',
      60_000,
    );
    assert.notEqual(cli.code, 0, 'botocore finds no credentials either');
    assert.equal(requests.length, 0);
  });
});
