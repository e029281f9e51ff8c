// `swrole exec --server` (the built dist/) with real clients of the container-credentials protocol: boto3,
// botocore, the aws CLI v1 (`aws` on PATH), the aws CLI v2.9 (`/usr/bin/aws`: 127.0.0.1 only, no endpoint variables)
// and the SDK for JS v3 default chain (C5); the child's environment, whatever the parent held (C6).
import '../helpers/silence-sdk-node-warning.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ACCOUNT_A, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { runSwrole, sampleCredentials, type RunResult, type Sandbox } from '../helpers/swrole-run.js';

let box: Sandbox;
const ROLE_ARN_PREFIX = `arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleNoMfa/`;
const AWS_V2 = '/usr/bin/aws';

useEmulatorSandbox((fixture) => ({ box } = fixture));

/** `swrole exec --server nomfa -- CMD...` (async: the emulator answers from this process). */
function execServer(command: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  return runSwrole(['exec', '--server', 'nomfa', '--', ...command], { ...box.env, ...extra }, { timeoutMs: 120_000 });
}

function lastJson(r: RunResult): Record<string, unknown> {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('C5 container-credentials clients of `swrole exec --server`', () => {
  it('C5 boto3: credentials method container-role, identity of the role', async () => {
    const out = lastJson(
      await execServer([
        'python3',
        '-c',
        "import boto3, json; s = boto3.Session(); c = s.get_credentials(); print(json.dumps({'method': c.method, 'arn': s.client('sts').get_caller_identity()['Arn']}))",
      ]),
    );
    assert.equal(out.method, 'container-role');
    assert.ok(String(out.arn).startsWith(ROLE_ARN_PREFIX), String(out.arn));
  });

  it('C5 botocore: credentials method container-role, identity of the role', async () => {
    const out = lastJson(
      await execServer([
        'python3',
        '-c',
        "import botocore.session, json; s = botocore.session.get_session(); c = s.get_credentials(); print(json.dumps({'method': c.method, 'arn': s.create_client('sts').get_caller_identity()['Arn']}))",
      ]),
    );
    assert.equal(out.method, 'container-role');
    assert.ok(String(out.arn).startsWith(ROLE_ARN_PREFIX), String(out.arn));
  });

  it('C5 aws CLI v1: sts get-caller-identity returns the role', async () => {
    const r = await execServer(['aws', 'sts', 'get-caller-identity', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.ok(String(out.Arn).startsWith(ROLE_ARN_PREFIX), String(out.Arn));
  });

  it(
    'C5 aws CLI v2.9 (/usr/bin/aws): configure export-credentials gives the served keys; sts get-caller-identity returns the role',
    {
      skip: existsSync(AWS_V2) ? false : `${AWS_V2} not installed (apt-get install awscli)`,
    },
    async () => {
      // CLI 2.9 ignores AWS_ENDPOINT_URL_STS (reference D.2): the STS call gets --endpoint-url.
      const r = await execServer([
        'sh',
        '-c',
        `${AWS_V2} configure export-credentials --format process && ${AWS_V2} sts get-caller-identity --output json --endpoint-url "$AWS_ENDPOINT_URL_STS" | tr -d '\\n'; echo`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const [exported, identity] = r.stdout
        .trim()
        .split(/\n(?=\{)/)
        .map((t) => JSON.parse(t) as Record<string, unknown>);
      assert.match(String(exported!.AccessKeyId), /^ASIA/);
      assert.ok(exported!.SessionToken && exported!.Expiration, JSON.stringify(Object.keys(exported!)));
      assert.ok(String(identity!.Arn).startsWith(ROLE_ARN_PREFIX), String(identity!.Arn));
    },
  );

  it('C5 SDK for JS v3: the Node default chain (fromNodeProviderChain) resolves the served role', async () => {
    // fromNodeProviderChain() of @aws-sdk/credential-providers is defaultProvider() of @aws-sdk/credential-provider-node,
    // which @aws-sdk/client-sts depends on and every SDK client uses when given no credentials.
    const script = `
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const provider = defaultProvider();
const creds = await provider();
const client = new STSClient({ credentials: provider, maxAttempts: 1 });
const out = await client.send(new GetCallerIdentityCommand({}));
process.stdout.write(JSON.stringify({ key: creds.accessKeyId, expiration: creds.expiration, arn: out.Arn }) + '\\n');
`;
    const out = lastJson(await execServer([process.execPath, '--no-warnings', '--input-type=module', '-e', script]));
    assert.match(String(out.key), /^ASIA/);
    assert.ok(out.expiration, 'the SDK read the Expiration');
    assert.ok(String(out.arn).startsWith(ROLE_ARN_PREFIX), String(out.arn));
  });
});

describe('C6 the child environment of `swrole exec --server`', () => {
  it('C6 has the endpoint and a fresh token, and none of the variables that would win, even when the parent set them', async () => {
    const parent: Record<string, string> = {
      AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: 'parent-session-token',
      AWS_SECURITY_TOKEN: 'parent-session-token',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
      AWS_PROFILE: 'a',
      AWS_DEFAULT_PROFILE: 'a',
      AWS_WEB_IDENTITY_TOKEN_FILE: join(box.dir, 'web-token'),
      AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/RoleWebIdentity',
      AWS_ROLE_SESSION_NAME: 'parent',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/parent',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'parent-container-token',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(box.dir, 'parent-token-file'),
      AWS_CREDENTIAL_FILE: join(box.dir, 'ec2-creds'),
      AWS_SDK_LOAD_CONFIG: '1',
    };
    const dump = `process.stdout.write(JSON.stringify(process.env) + '\\n')`;
    const first = lastJson(await execServer([process.execPath, '-e', dump], parent)) as Record<string, string>;
    const second = lastJson(await execServer([process.execPath, '-e', dump], parent)) as Record<string, string>;
    assert.match(first.AWS_CONTAINER_CREDENTIALS_FULL_URI!, /^http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/credentials$/);
    assert.match(first.AWS_CONTAINER_AUTHORIZATION_TOKEN!, /^[\w-]{43}$/);
    assert.notEqual(first.AWS_CONTAINER_AUTHORIZATION_TOKEN, second.AWS_CONTAINER_AUTHORIZATION_TOKEN, 'a fresh token per run');
    assert.notEqual(first.AWS_CONTAINER_CREDENTIALS_FULL_URI, second.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'a fresh path per run');
    const replaced = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'];
    for (const name of Object.keys(parent).filter((n) => !replaced.includes(n))) {
      assert.equal(first[name], undefined, `${name} reached the child`);
    }
    assert.equal(first.AWS_REGION, 'eu-west-1');
    assert.equal(first.AWS_DEFAULT_REGION, 'eu-west-1');
    assert.equal(first.SWROLE_PROFILE, 'nomfa');
    const values = Object.values(first).join('\n');
    assert.doesNotMatch(values, /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, 'no access key in the child environment');
    assert.ok(!values.includes('parent-'), 'nothing of the parent credentials');
  });

  it('C6 keys in [default] of the credentials file would win over the endpoint: the child reads an empty credentials file', async () => {
    const credentials = join(box.dir, 'credentials-with-default');
    writeFileSync(
      credentials,
      `${sampleCredentials()}\n[default]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key = ${USER_SECRET_ACCESS_KEY}\n`,
      {
        mode: 0o600,
      },
    );
    const r = await execServer(
      [
        'python3',
        '-c',
        "import boto3, json, os; s = boto3.Session(); print(json.dumps({'method': s.get_credentials().method, 'file': os.environ.get('AWS_SHARED_CREDENTIALS_FILE'), 'arn': s.client('sts').get_caller_identity()['Arn']}))",
      ],
      { AWS_SHARED_CREDENTIALS_FILE: credentials },
    );
    const out = lastJson(r);
    assert.equal(out.file, '/dev/null');
    assert.equal(out.method, 'container-role');
    assert.ok(String(out.arn).startsWith(ROLE_ARN_PREFIX), String(out.arn));
    assert.match(r.stderr, /AWS_SHARED_CREDENTIALS_FILE=\/dev\/null/);
  });
});
