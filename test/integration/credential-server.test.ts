// The credential server in-process (what `serve` and `exec --server` start), against the strict STS emulator, on the
// emulator's clock so role sessions can expire in seconds of test time: C7 hardening with raw HTTP, C8 refresh-ahead
// with a boto3 loop across a 900 s role's expiry and 50 concurrent GETs during a refresh, C9 the 503 when a person
// is needed. Clients are real: python3 with boto3 (signing on the emulator's clock) and node:http.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, MFA_SERIAL, ROLE_A_ARN, ROLE_NO_MFA_ARN } from '../helpers/emulator-world.js';
import { createSandbox, sampleConfig, sandboxDeps, type Sandbox } from '../helpers/swrole-run.js';
import { createReporters, type CredentialFlags } from '../../src/commands/credential-options.js';
import { startProfileServer, type ProfileServer } from '../../src/commands/profile-server.js';
import { run as login } from '../../src/commands/login.js';
import { waitFor } from '../helpers/wait-for.js';

let emu: EmulatorHandle;
let box: Sandbox;
const servers: ProfileServer[] = [];
/** How long the emulator takes over the AssumeRole of a refresh in C8 (under swrole's 5 s attempt timeout). */
const STS_DELAY_MS = 2_000;

const CONFIG_EXTRA = `
[profile short]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
duration_seconds = 900
region = eu-west-1

[profile short-mfa]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
duration_seconds = 900
region = us-east-1
`;

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  box?.cleanup();
});

function fresh(): void {
  emu.reset();
  box = createSandbox(emu.url);
  // The sandbox's sample config, plus 900 s roles.
  writeFileSync(box.configFile, `${sampleConfig(box.dir)}${CONFIG_EXTRA}`);
}

function flags(profile: string): CredentialFlags {
  return {
    profile,
    region: undefined,
    durationSeconds: undefined,
    mfaCode: undefined,
    noCache: false,
    noSession: false,
    sourceConfig: undefined,
    sourceCredentials: undefined,
    debug: true,
  };
}

/** A server on the emulator's clock; debug lines (with each answer's time in the server) are collected. */
async function serve(profile: string): Promise<{ server: ProfileServer; debug: string[]; stderr: () => string }> {
  const cap = sandboxDeps(box, () => emu.now());
  const debug: string[] = [];
  const reporters = { ...createReporters(cap.deps, false), debug: (m: string) => debug.push(m) };
  const server = await startProfileServer(cap.deps, { command: 'serve', flags: flags(profile), values: {}, port: 0, reporters });
  servers.push(server);
  return { server, debug, stderr: cap.stderr };
}

const varsOf = (server: ProfileServer) => Object.fromEntries(server.vars);

interface Reply {
  status: number;
  body: string;
  ms: number;
}

/** One raw HTTP request to the server, headers exactly as given. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; host?: string; connectTo?: string } = {},
): Promise<Reply> {
  const u = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: options.connectTo ?? u.hostname,
        port: u.port,
        path: u.pathname,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? u.host, ...options.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const get = (server: ProfileServer) =>
  raw(varsOf(server).AWS_CONTAINER_CREDENTIALS_FULL_URI!, {
    headers: { authorization: varsOf(server).AWS_CONTAINER_AUTHORIZATION_TOKEN! },
  });

/** python3 with the server's client variables only (no keys, no profile): the container provider is all it has. */
function python(
  script: string,
  args: string[],
  server: ProfileServer,
  region: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: box.home,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ENDPOINT_URL_STS: emu.url,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...varsOf(server),
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** N GETs at once from a separate node process, spread over the servers: status, key and round-trip time of each. */
async function concurrentGets(targets: ProfileServer[], n: number): Promise<Array<{ status: number; ms: number; key: string }>> {
  const script = `
import { request } from 'node:http';
const targets = JSON.parse(process.argv[1]);
const n = Number(process.argv[2]);
const one = ([url, token]) => new Promise((resolve) => {
  const started = performance.now();
  const req = request(url, { headers: { authorization: token }, agent: false }, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started, key: res.statusCode === 200 ? JSON.parse(body).AccessKeyId : '' }));
  });
  req.on('error', (e) => resolve({ status: 0, ms: performance.now() - started, key: String(e) }));
  req.end();
});
const out = await Promise.all(Array.from({ length: n }, (_, i) => one(targets[i % targets.length])));
process.stdout.write(JSON.stringify(out));
`;
  const targetsArg = JSON.stringify(
    targets.map((t) => [varsOf(t).AWS_CONTAINER_CREDENTIALS_FULL_URI, varsOf(t).AWS_CONTAINER_AUTHORIZATION_TOKEN]),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, targetsArg, String(n)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.on('error', reject);
    child.on('close', () => resolve(JSON.parse(stdout) as Array<{ status: number; ms: number; key: string }>));
  });
}

/** The server-side handling times of its answers (debug lines `server: GET → 200 in X ms`). */
function answerTimes(debug: string[]): number[] {
  return debug.flatMap((line) => {
    const m = /^server: GET → \d+ in ([\d.]+) ms$/.exec(line);
    return m ? [Number(m[1])] : [];
  });
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `n=${sorted.length} median=${at(0.5).toFixed(1)} ms p95=${at(0.95).toFixed(1)} ms max=${sorted.at(-1)!.toFixed(1)} ms`;
}

// boto3 that signs and judges expiry on the emulator's clock (it advances the clock itself between calls, through the
// emulator's loopback controls), so a 900 s role can expire within a test. Every call re-fetches from the server:
// botocore refreshes container credentials with less than 15 min left on every call.
const BOTO_LOOP = `
import json, sys, time, datetime, urllib.request
import boto3, botocore.auth, botocore.credentials
emu, steps, step_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
offset = datetime.timedelta(0)
def sync():
    global offset
    now_ms = json.load(urllib.request.urlopen(emu + '/__emulator/clock'))['now']
    offset = datetime.timedelta(milliseconds=now_ms - time.time() * 1000)
real_signing_now = botocore.auth.get_current_datetime
botocore.auth.get_current_datetime = lambda *a, **k: real_signing_now(*a, **k) + offset
real_local_now = botocore.credentials._local_now
botocore.credentials._local_now = lambda: real_local_now() + offset
sync()
session = boto3.Session()
creds = session.get_credentials()
creds._time_fetcher = botocore.credentials._local_now
sts = session.client('sts')
out = {'method': creds.method, 'keys': [], 'arns': [], 'errors': [], 'clock': []}
for i in range(steps):
    if i > 0:
        req = urllib.request.Request(emu + '/__emulator/clock', data=json.dumps({'advanceSeconds': step_s}).encode(), method='POST')
        urllib.request.urlopen(req).read()
        sync()
    try:
        out['arns'].append(sts.get_caller_identity()['Arn'])
        out['keys'].append(creds.get_frozen_credentials().access_key)
    except Exception as e:
        out['errors'].append('%s at step %d' % (repr(e), i))
print(json.dumps(out))
`;

describe('credential server (in-process, emulator clock)', () => {
  it('C7 hardening: missing/wrong token 403 JSON, wrong Host 403, POST/OPTIONS 405, other paths 404, loopback only, no secret in debug lines', async () => {
    fresh();
    const { server, debug } = await serve('short');
    const url = varsOf(server).AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '';
    const token = varsOf(server).AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '';
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/[\w-]{22}\/credentials$/);
    assert.match(token, /^[\w-]{43}$/);
    const ok = await raw(url, { headers: { authorization: token } });
    assert.equal(ok.status, 200);
    const body = JSON.parse(ok.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['AccessKeyId', 'AccountId', 'Expiration', 'SecretAccessKey', 'Token']);
    assert.match(body.AccessKeyId!, /^ASIA/);
    assert.match(body.Expiration!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(body.AccountId, ACCOUNT_A);

    const refusals: Array<[string, Parameters<typeof raw>[1], number, RegExp]> = [
      ['no token', {}, 403, /invalid Authorization token/],
      ['wrong token', { headers: { authorization: `${token.slice(0, -2)}xx` } }, 403, /invalid Authorization token/],
      ['wrong Host (DNS rebinding)', { headers: { authorization: token }, host: `evil.example:${new URL(url).port}` }, 403, /Host/],
      ['Host localhost', { headers: { authorization: token }, host: `localhost:${new URL(url).port}` }, 403, /Host/],
      ['POST', { method: 'POST', headers: { authorization: token } }, 405, /only GET/],
      ['OPTIONS', { method: 'OPTIONS', headers: { authorization: token, origin: 'https://evil.example' } }, 405, /only GET/],
      ['PUT without token', { method: 'PUT' }, 405, /only GET/],
    ];
    for (const [name, options, status, message] of refusals) {
      const r = await raw(url, options);
      assert.equal(r.status, status, name);
      const json = JSON.parse(r.body) as { Code: string; Message: string };
      assert.match(json.Message, message, name);
      assert.ok(!r.body.includes('ASIA'), `${name}: no credentials in a refusal`);
    }
    const other = await raw(url.replace(/\/[\w-]+\/credentials$/, '/credentials'), { headers: { authorization: token } });
    assert.equal(other.status, 404);

    // Nothing answers on a non-loopback address of this machine.
    const port = Number(new URL(url).port);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: external.address, port }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      assert.equal(outcome, 'ECONNREFUSED', `port ${port} on ${external.address}`);
    } else {
      console.log('# no non-loopback IPv4 interface here: the bind address is checked through the URL only');
    }
    const text = debug.join('\n');
    assert.ok(
      !text.includes(token) && !text.includes(body.SecretAccessKey!) && !text.includes(new URL(url).pathname),
      'debug lines carry no secret',
    );
  });

  it('C8 refresh-ahead: a boto3 loop across a 900 s role session expiry sees a new key with zero errors', async () => {
    fresh();
    const { server, debug } = await serve('short');
    const before = emu.counts().AssumeRole ?? 0;
    // 25 calls, 60 s of emulator clock apart: 1440 s, past the first session's expiry (900 s) and the second's.
    const r = await python(BOTO_LOOP, [emu.url, '25', '60'], server, 'eu-west-1');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { method: string; keys: string[]; arns: string[]; errors: string[] };
    assert.equal(out.method, 'container-role');
    assert.deepEqual(out.errors, []);
    assert.equal(out.arns.length, 25);
    assert.ok(
      out.arns.every((a) => a.startsWith(`arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleNoMfa/`)),
      out.arns[0],
    );
    const distinct = [...new Set(out.keys)];
    assert.ok(distinct.length >= 3, `keys seen: ${distinct.length}`);
    const refreshes = (emu.counts().AssumeRole ?? 0) - before;
    // Refreshed at half of each 900 s session: 1440 s of clock → 3 refreshes, never one per call.
    assert.ok(refreshes >= 2 && refreshes <= 4, `AssumeRole calls during the loop: ${refreshes}`);
    const times = answerTimes(debug);
    console.log(
      `# measured: boto3 loop, 25 calls over 1440 s of emulator clock: ${distinct.length} keys, ${refreshes} AssumeRole; server answers ${stats(times)}`,
    );
  });

  it('C8 50 concurrent GETs during a refresh (two servers on one cache) → one AssumeRole, all answered, none waits for STS', async () => {
    fresh();
    const a = await serve('short');
    const b = await serve('short');
    const first = JSON.parse((await get(a.server)).body) as { AccessKeyId: string };
    assert.equal(JSON.parse((await get(b.server)).body).AccessKeyId, first.AccessKeyId, 'the second server took the cached session');
    const baseline = await concurrentGets([a.server, b.server], 50);
    const before = emu.counts().AssumeRole ?? 0;
    // The refresh's AssumeRole takes STS_DELAY_MS: an answer that waited for it would take at least as long.
    emu.inject({ action: 'AssumeRole', delayMs: STS_DELAY_MS });
    emu.advance(460); // past the refresh point (450 s into a 900 s session)
    // The 50 clients are another process, as real clients are: their timings are not this event loop's.
    const replies = await concurrentGets([a.server, b.server], 50);
    assert.ok(
      replies.every((r) => r.status === 200),
      replies.map((r) => r.status).join(','),
    );
    // Wait for both refreshes to settle: both servers then hold the one new session.
    const key = async (server: ProfileServer) => (JSON.parse((await get(server)).body) as { AccessKeyId: string }).AccessKeyId;
    await waitFor(
      async () => (await key(a.server)) !== first.AccessKeyId && (await key(b.server)) !== first.AccessKeyId,
      'both servers refreshed',
    );
    const afterA = await key(a.server);
    assert.notEqual(afterA, first.AccessKeyId);
    assert.equal(await key(b.server), afterA);
    assert.equal((emu.counts().AssumeRole ?? 0) - before, 1, 'one STS call for both servers and 50 requests');
    const clientMs = replies.map((r) => r.ms);
    const serverMs = [...answerTimes(a.debug), ...answerTimes(b.debug)];
    console.log(`# measured: 50 concurrent GETs, no refresh due: client round trip ${stats(baseline.map((r) => r.ms))}`);
    console.log(`# measured: 50 concurrent GETs during a refresh: client round trip ${stats(clientMs)}; in server ${stats(serverMs)}`);
    // Every answer, as the server measures it (request in → response written), came sooner than the STS call it
    // would have waited for. The clients' round trip also holds this machine's scheduling: reported, not asserted.
    assert.ok(Math.max(...serverMs) < STS_DELAY_MS, `in server: ${stats(serverMs)}`);
  });

  it('C9 an MFA session that expired: 503 at once, boto3 sees "Received non 200 response 503", then `swrole login` heals it', async () => {
    fresh();
    const cap = sandboxDeps(box, () => emu.now());
    emu.advance(30);
    assert.equal(await login(['short-mfa', '--mfa-code', totp(MFA_SECRET, emu.now()), '--duration', '15m'], cap.deps), 0, cap.stderr());
    const { server, stderr } = await serve('short-mfa');
    assert.equal((await get(server)).status, 200);
    emu.advance(2_000); // the role session and the MFA session have both expired
    const refused = await get(server);
    assert.equal(refused.status, 503);
    // That the 503 waits for nothing is test/unit/server-refresh-ahead.test.ts's; here it is reported.
    console.log(`# measured: 503 for an expired MFA session in ${refused.ms.toFixed(0)} ms`);
    const message = (JSON.parse(refused.body) as { Code: string; Message: string }).Message;
    assert.match(message, /swrole login short-mfa/);
    assert.match(stderr(), /cannot refresh the credentials of profile "short-mfa", answering 503 meanwhile/);
    const boto = await python(
      `import boto3\ntry:\n    boto3.client('sts').get_caller_identity()\nexcept Exception as e:\n    print(e)`,
      [],
      server,
      'us-east-1',
    );
    assert.match(boto.stdout, /Received non 200 response 503 from container metadata/);
    assert.match(boto.stdout, /swrole login short-mfa/);
    // The person logs in again; the server picks the new MFA session up by itself (a person-awaited retry is 5 s).
    emu.advance(30);
    assert.equal(await login(['short-mfa', '--mfa-code', totp(MFA_SECRET, emu.now())], cap.deps), 0, cap.stderr());
    emu.advance(6);
    assert.equal((await get(server)).status, 200);
  });
});
