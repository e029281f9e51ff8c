// The standalone emulator (`node --import tsx emulator/main.ts --world FILE`) driven by the image's
// `aws` CLI v1 and boto3, with its HTTP test controls. Everything stays on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  EXTERNAL_ID,
  MFA_SERIAL,
  ROLE_A_ARN,
  ROLE_CHAINED_ARN,
  ROLE_EXTERNAL_ID_ARN,
  ROLE_NO_MFA_ARN,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_SECRET_ACCESS_KEY,
  sampleWorld,
} from '../helpers/emulator-world.js';

let home: string;
let child: ChildProcessWithoutNullStreams;
let url: string;

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'swrole-emu-cli-'));
  const worldFile = join(home, 'world.json');
  writeFileSync(worldFile, JSON.stringify(sampleWorld()));
  child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--world', worldFile], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as unknown as ChildProcessWithoutNullStreams;
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('emulator did not start within 20 s')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited ${code}`));
    });
  });
});
after(() => {
  child.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

async function control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/__emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, `${method} ${path}`);
  return (await res.json()) as Record<string, unknown>;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_STS: url,
    AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

function aws(
  args: string[],
  extra: Record<string, string> = {},
): { code: number | null; json: Record<string, unknown> | null; stderr: string } {
  const r = spawnSync('aws', [...args, '--output', 'json'], { env: env(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, json: r.status === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : null, stderr: r.stderr };
}

const totpNow = async () => String((await control('GET', `totp?serial=${encodeURIComponent(MFA_SERIAL)}`)).code);

// boto3 first: the aws CLI block ends by advancing the emulator clock past a real client's 15-minute window.
describe('boto3 against the emulator', () => {
  it('assume_role with ExternalId (mismatch → AccessDenied, match → allowed), get_session_token with MFA', async () => {
    const code = await totpNow();
    const script = `
import json, sys, boto3, botocore.exceptions as E
sts = boto3.client('sts', region_name='us-east-1')
out = {}
try:
    sts.assume_role(RoleArn=sys.argv[1], RoleSessionName='py', ExternalId='wrong-id')
except E.ClientError as e:
    out['mismatch'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
r = sts.assume_role(RoleArn=sys.argv[1], RoleSessionName='py', ExternalId=sys.argv[2])
out['assumed'] = r['AssumedRoleUser']['Arn']
out['expirationType'] = type(r['Credentials']['Expiration']).__name__
g = sts.get_session_token(SerialNumber=sys.argv[3], TokenCode=sys.argv[4], DurationSeconds=3600)
s = boto3.client('sts', region_name='us-east-1', aws_access_key_id=g['Credentials']['AccessKeyId'], aws_secret_access_key=g['Credentials']['SecretAccessKey'], aws_session_token=g['Credentials']['SessionToken'])
out['sessionArn'] = s.get_caller_identity()['Arn']
print(json.dumps(out))
`;
    const r = spawnSync('python3', ['-c', script, ROLE_EXTERNAL_ID_ARN, EXTERNAL_ID, MFA_SERIAL, code], {
      env: env(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out.mismatch, [
      'AccessDenied',
      `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_EXTERNAL_ID_ARN}`,
      403,
    ]);
    assert.equal(out.assumed, 'arn:aws:sts::222222222222:assumed-role/RoleExternalId/py');
    assert.equal(out.expirationType, 'datetime');
    assert.equal(out.sessionArn, USER_ARN);
  });
});

describe('aws CLI v1 against the emulator', () => {
  it('get-caller-identity with keys in env', () => {
    const r = aws(['sts', 'get-caller-identity']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json!.Arn, USER_ARN);
    assert.equal(r.json!.Account, '333333333333');
  });

  it('iam list-access-keys / create-access-key / delete-access-key (AWS_ENDPOINT_URL_IAM): the quota as the CLI prints it', () => {
    const iam = { AWS_ENDPOINT_URL_IAM: url };
    const list = aws(['iam', 'list-access-keys'], iam);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      (list.json!.AccessKeyMetadata as Array<Record<string, string>>).map((k) => [k.UserName, k.AccessKeyId, k.Status]),
      [['example.user', USER_ACCESS_KEY_ID, 'Active']],
    );
    const created = aws(['iam', 'create-access-key'], iam);
    assert.equal(created.code, 0, created.stderr);
    const newId = (created.json!.AccessKey as Record<string, string>).AccessKeyId!;
    const third = aws(['iam', 'create-access-key'], iam);
    assert.equal(third.code, 255);
    assert.match(
      third.stderr,
      /\(LimitExceeded\) when calling the CreateAccessKey operation(?: \(reached max retries: \d+\))?: Cannot exceed quota for AccessKeysPerUser: 2/,
    );
    const deleted = spawnSync('aws', ['iam', 'delete-access-key', '--access-key-id', newId], {
      env: env(iam),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(deleted.status, 0, deleted.stderr);
    const again = aws(['iam', 'delete-access-key', '--access-key-id', newId], iam);
    assert.match(
      again.stderr,
      new RegExp(
        `\\(NoSuchEntity\\) when calling the DeleteAccessKey operation(?: \\(reached max retries: \\d+\\))?: The Access Key with id ${newId} cannot be found\\.`,
      ),
    );
  });

  it('a wrong secret → SignatureDoesNotMatch; an unknown key → InvalidClientTokenId', () => {
    const bad = aws(['sts', 'get-caller-identity'], { AWS_SECRET_ACCESS_KEY: 'wrong' });
    assert.equal(bad.code, 255);
    assert.match(
      bad.stderr,
      /\(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation.*: The request signature we calculated/,
    );
    const unknown = aws(['sts', 'get-caller-identity'], { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' });
    assert.match(unknown.stderr, /\(InvalidClientTokenId\) .*The security token included in the request is invalid\./);
  });

  it('assume-role: MFA required, then with a TOTP from the controls; the session works for the CLI', async () => {
    await control('POST', 'reset'); // boto3 above used this step's code; a code is good once per device
    const denied = aws(['sts', 'assume-role', '--role-arn', ROLE_A_ARN, '--role-session-name', 'cli']);
    assert.match(
      denied.stderr,
      new RegExp(`\\(AccessDenied\\) .*User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_A_ARN}`),
    );
    const ok = aws([
      'sts',
      'assume-role',
      '--role-arn',
      ROLE_A_ARN,
      '--role-session-name',
      'cli',
      '--serial-number',
      MFA_SERIAL,
      '--token-code',
      await totpNow(),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const creds = ok.json!.Credentials as Record<string, string>;
    const who = aws(['sts', 'get-caller-identity'], {
      AWS_ACCESS_KEY_ID: creds.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey!,
      AWS_SESSION_TOKEN: creds.SessionToken!,
    });
    assert.equal(who.json?.Arn, 'arn:aws:sts::111111111111:assumed-role/RoleA/cli', who.stderr);
    const chained = aws(
      ['sts', 'assume-role', '--role-arn', ROLE_CHAINED_ARN, '--role-session-name', 'hop', '--duration-seconds', '7200'],
      { AWS_ACCESS_KEY_ID: creds.AccessKeyId!, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey!, AWS_SESSION_TOKEN: creds.SessionToken! },
    );
    assert.match(
      chained.stderr,
      /\(ValidationError\) .*The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining\./,
    );
  });

  it('an injected Throttling fault (HTTP control) is seen by the CLI; counts and calls over HTTP', async () => {
    await control('POST', 'reset');
    await control('POST', 'faults', { code: 'Throttling', action: 'GetCallerIdentity' });
    const r = aws(['sts', 'get-caller-identity']);
    assert.match(r.stderr, /\(Throttling\) when calling the GetCallerIdentity operation.*: Rate exceeded/);
    assert.equal(aws(['sts', 'get-caller-identity']).code, 0);
    assert.deepEqual(await control('GET', 'counts'), { GetCallerIdentity: 2 });
    const calls = (await control('GET', 'calls')) as unknown as Array<{ code: string }>;
    assert.deepEqual(
      calls.map((c) => c.code),
      ['Throttling', 'OK'],
    );
  });

  it('the clock control expires sessions: ExpiredToken for the CLI', async () => {
    const ok = aws(['sts', 'assume-role', '--role-arn', ROLE_NO_MFA_ARN, '--role-session-name', 'short', '--duration-seconds', '900']);
    const creds = ok.json!.Credentials as Record<string, string>;
    const before = Number((await control('GET', 'clock')).now);
    const after = Number((await control('POST', 'clock', { advanceSeconds: 901 })).now);
    assert.ok(after - before >= 901_000);
    const r = aws(['sts', 'get-caller-identity'], {
      AWS_ACCESS_KEY_ID: creds.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey!,
      AWS_SESSION_TOKEN: creds.SessionToken!,
    });
    assert.match(r.stderr, /\(ExpiredToken\) .*The security token included in the request is expired/);
  });

  it('controls refuse signed requests', async () => {
    const res = await fetch(`${url}/__emulator/counts`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } });
    assert.equal(res.status, 403);
  });
});
