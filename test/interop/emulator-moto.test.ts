// botocore parses the emulator's responses exactly as it parses moto's (a second STS) for the same
// calls: same keys, same types, same ARN/id formats; error responses likewise.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { after, before, it } from 'node:test';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ROLE_NO_MFA_ARN, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';

let emu: EmulatorHandle;
let moto: ChildProcess;
let motoUrl: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });
before(async () => {
  const port = await freePort();
  motoUrl = `http://127.0.0.1:${port}`;
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${motoUrl}/moto-api/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('moto.server did not start within 20 s');
});
after(() => {
  moto.kill('SIGTERM');
});

// Runs the same calls against one endpoint and prints their parsed shapes: keys and Python types,
// strings reduced to a format (ARNs with ids/names abstracted, key prefixes), ResponseMetadata to
// RequestId/HTTPStatusCode.
const SCRIPT = `
import json, re, sys, boto3, botocore.exceptions as E
url, role = sys.argv[1], sys.argv[2]
sts = boto3.client('sts', region_name='us-east-1', endpoint_url=url)
def fmt(s):
    s = re.sub(r'\\d{12}', 'ACCT', s)
    s = re.sub(r'^(AKIA|ASIA|AIDA|AROA)[A-Z0-9]+', r'\\1…', s)
    s = re.sub(r'^arn:aws:iam::ACCT:user/.+$', 'arn:aws:iam::ACCT:user/NAME', s)
    s = re.sub(r'^arn:aws:sts::ACCT:assumed-role/[^/]+/[^/]+$', 'arn:aws:sts::ACCT:assumed-role/ROLE/SESSION', s)
    s = re.sub(r'^(AROA…):[\\w+=,.@-]+$', r'\\1:SESSION', s)
    return s if len(s) < 40 or s.startswith('arn:') else 'LONG'
def shape(v, key=None):
    if isinstance(v, dict):
        if key == 'ResponseMetadata':
            return {'RequestId': type(v['RequestId']).__name__, 'HTTPStatusCode': v['HTTPStatusCode']}
        return {k: shape(x, k) for k, x in v.items()}
    if isinstance(v, str):
        return fmt(v)
    return type(v).__name__
out = {}
out['GetCallerIdentity'] = shape(sts.get_caller_identity())
out['GetSessionToken'] = shape(sts.get_session_token(DurationSeconds=3600))
out['AssumeRole'] = shape(sts.assume_role(RoleArn=role, RoleSessionName='shape-test', DurationSeconds=3600, Policy='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'))
try:
    sts.assume_role(RoleArn=role, RoleSessionName='shape-test', DurationSeconds=43200, Policy='{"Version": "2012-10-17", "Statement": [' + '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},' * 200 + ']}')
    out['error'] = 'none'
except E.ClientError as e:
    r = e.response
    out['error'] = {'keys': sorted(r.keys()), 'Error': sorted(r['Error'].keys()), 'Type': r['Error'].get('Type'), 'status': r['ResponseMetadata']['HTTPStatusCode']}
print(json.dumps(out, sort_keys=True))
`;

// Async: the emulator runs in this process and must keep serving while python runs.
async function shapes(url: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)('python3', ['-c', SCRIPT, url, ROLE_NO_MFA_ARN], {
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
      AWS_MAX_ATTEMPTS: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

it('botocore sees the same response shapes from the emulator and from moto', async () => {
  const [ours, theirs] = await Promise.all([shapes(emu.url), shapes(motoUrl)]);
  process.stdout.write(`# emulator shapes: ${JSON.stringify(ours)}\n# moto shapes: ${JSON.stringify(theirs)}\n`);
  // Keys and types must agree everywhere; string formats only where moto models identities faithfully
  // (moto answers GetCallerIdentity for unknown keys with arn:aws:sts::ACCT:user/moto and issues AKIA
  // keys from GetSessionToken; real STS and the emulator give the IAM user ARN and ASIA keys, §6.4).
  const structure = (v: unknown): unknown =>
    typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structure(x)]))
      : typeof v === 'string' && !['datetime', 'int', 'str'].includes(v)
        ? 'str'
        : v;
  for (const action of ['GetCallerIdentity', 'GetSessionToken', 'AssumeRole'])
    assert.deepEqual(structure(ours[action]), structure(theirs[action]), action);
  assert.deepEqual(ours.GetCallerIdentity, {
    Account: 'ACCT',
    Arn: 'arn:aws:iam::ACCT:user/NAME',
    UserId: 'AIDA…',
    ResponseMetadata: { HTTPStatusCode: 200, RequestId: 'str' },
  });
  assert.equal((ours.GetSessionToken as { Credentials: { AccessKeyId: string } }).Credentials.AccessKeyId, 'ASIA…');
  assert.deepEqual(ours.AssumeRole, theirs.AssumeRole, 'AssumeRole identical including ARN and id formats');
  assert.deepEqual(ours.AssumeRole, {
    AssumedRoleUser: { Arn: 'arn:aws:sts::ACCT:assumed-role/ROLE/SESSION', AssumedRoleId: 'AROA…:SESSION' },
    Credentials: { AccessKeyId: 'ASIA…', Expiration: 'datetime', SecretAccessKey: 'LONG', SessionToken: 'LONG' },
    PackedPolicySize: 'int',
    ResponseMetadata: { HTTPStatusCode: 200, RequestId: 'str' },
  });
  if (typeof theirs.error === 'object') assert.deepEqual(ours.error, theirs.error, 'error responses');
  else
    assert.deepEqual(ours.error, { keys: ['Error', 'ResponseMetadata'], Error: ['Code', 'Message', 'Type'], Type: 'Sender', status: 400 });
});
