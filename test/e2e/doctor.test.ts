// Issue 13, `swrole doctor`: a table of broken setups, each a real temp HOME (real ~/.aws files, real state dirs,
// real `swrole setup` / `agent claude` runs of the built CLI), each expected to yield its line and fix, and a clean
// setup where every line is ok. The clock check runs against the STS emulator (its clock advanced for skew).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { agentUserConfig, agentWorld, createProject } from '../helpers/agent-world.js';
import { USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { startStallingServer, type StallingServer } from '../helpers/stalling-server.js';
import { startTestProxy, type TestProxy } from '../helpers/test-proxy.js';
import { makeSelfSignedCert, type TestCert } from '../helpers/test-cert.js';
import { DIST, ensureBuilt, runSwrole, sampleCredentials, writeUserAwsFiles } from '../helpers/swrole-run.js';
import { spawnDetached } from '../helpers/run-detached.js';

interface Line {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix: string | null;
}

let emu: EmulatorHandle;
/** A second emulator whose clock is moved, for the skew rows. */
let skewed: EmulatorHandle;
let stall: StallingServer;
let proxy: TestProxy;
/** STS over TLS under a name only the proxy resolves, its certificate in a bundle of its own (and one that is not). */
let tlsEmu: EmulatorHandle;
let trusted: TestCert;
let other: TestCert;
const TLS_HOST = 'sts.proxy-only.test';
let root: string;
let counter = 0;

before(async () => {
  ensureBuilt();
  [emu, skewed, stall] = await Promise.all([
    startEmulator({ world: agentWorld() }),
    startEmulator({ world: agentWorld() }),
    startStallingServer('stall'),
  ]);
  proxy = await startTestProxy({ hosts: { 'sts.proxy-only.test': '127.0.0.1' } });
  root = mkdtempSync(join(tmpdir(), 'swrole-doctor-'));
  trusted = makeSelfSignedCert(root, TLS_HOST, 'trusted');
  other = makeSelfSignedCert(root, TLS_HOST, 'other');
  tlsEmu = await startEmulator({ world: agentWorld(), tls: { key: trusted.key, cert: trusted.cert } });
});
after(async () => {
  await Promise.all([emu.close(), skewed.close(), tlsEmu.close(), stall.close(), proxy.close()]);
  rmSync(root, { recursive: true, force: true });
});

interface World {
  dir: string;
  home: string;
  configFile: string;
  env: Record<string, string>;
}

/** A user as the AWS tools find one: HOME/.aws/config and credentials, the XDG state dirs below HOME, no agent markers. */
function world(config?: string, credentials?: string, stsUrl = emu.url): World {
  const dir = join(root, `w${++counter}`);
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const configFile = writeUserAwsFiles(home, config ?? agentUserConfig(stsUrl), credentials ?? sampleCredentials());
  return {
    dir,
    home,
    configFile,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
      // Also the endpoint of profiles without a [services] section: no test ever reaches the real STS.
      AWS_ENDPOINT_URL_STS: stsUrl,
    },
  };
}

async function doctor(w: World, extraEnv: Record<string, string> = {}, args: string[] = [], cwd = w.dir) {
  const r = await runSwrole(['doctor', '--json', ...args], { ...w.env, ...extraEnv }, { cwd, timeoutMs: 30_000 });
  let lines: Line[];
  try {
    lines = JSON.parse(r.stdout) as Line[];
  } catch {
    assert.fail(`doctor printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { ...r, lines, notOk: lines.filter((l) => l.status !== 'ok') };
}

const pretty = (lines: Line[]) => lines.map((l) => `${l.status} ${l.check}: ${l.message} | fix: ${l.fix}`).join('\n');

/** One expected line: its check, status, and what its message and fix must say. */
interface Expect {
  check: string;
  status: 'warn' | 'fail';
  message: RegExp;
  fix: RegExp;
}

function assertLines(r: Awaited<ReturnType<typeof doctor>>, expected: Expect[]) {
  for (const e of expected) {
    const line = r.notOk.find((l) => l.check === e.check && l.status === e.status && e.message.test(l.message));
    assert.ok(line, `no ${e.status} ${e.check} line matching ${e.message}:\n${pretty(r.lines)}`);
    assert.match(line.fix ?? '', e.fix, pretty([line]));
  }
  // Nothing else is wrong with the setup: the rows each break one thing.
  assert.deepEqual([...new Set(r.notOk.map((l) => l.check))].sort(), [...new Set(expected.map((e) => e.check))].sort(), pretty(r.notOk));
  assert.equal(r.code, expected.some((e) => e.status === 'fail') ? 3 : 0, r.stderr);
  if (r.code === 3) assert.match(r.stderr, /swrole: doctor: \d+ check\(s\) failed/);
}

describe('swrole doctor: a clean setup', () => {
  it('every line is ok, exit 0, the shape of --json is {check, status, message, fix}', async () => {
    const w = world();
    // swrole setup's credential_process profiles, and a git project with an agent grant, all healthy.
    const setup = await runSwrole(['setup', 'nomfa'], w.env);
    assert.equal(setup.code, 0, setup.stderr);
    const project = createProject(w.dir, 'clean');
    const grant = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], w.env, { timeoutMs: 60_000 });
    assert.equal(grant.code, 0, grant.stderr);
    const r = await doctor(w, {}, [], project);
    assert.equal(r.code, 0, `${r.stderr}\n${pretty(r.lines)}`);
    assert.deepEqual(r.notOk, [], pretty(r.notOk));
    for (const l of r.lines) assert.deepEqual(Object.keys(l), ['check', 'status', 'message', 'fix']);
    const checks = new Set(r.lines.map((l) => l.check));
    for (const c of [
      'config-files',
      'config',
      'role-arn',
      'quoted-value',
      'full-width',
      'profile-selection',
      'profile',
      'env-credentials',
      'clock',
      'proxy',
      'ca-bundle',
      'state-dir',
      'setup-paths',
      'agent-paths',
      'agent-project',
    ]) {
      assert.ok(checks.has(c), `no ${c} line:\n${pretty(r.lines)}`);
    }
    assert.match(r.lines.find((l) => l.check === 'clock')!.message, new RegExp(`within \\d+ s of STS \\(${emu.url}`));
    assert.match(
      r.lines.find((l) => l.check === 'setup-paths')!.message,
      /1 credential_process line\(s\) call node and swrole at paths that exist/,
    );
    assert.match(r.lines.find((l) => l.check === 'agent-project')!.message, /view mode, profiles nomfa.*\(the git root\)/);
  });

  it('the human report: one line per check, its fix below, a summary on stderr', async () => {
    const w = world();
    const r = await runSwrole(['doctor'], w.env, { cwd: w.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ok {4}config-files: /m);
    assert.match(r.stdout, /^ok {4}clock: this clock is within/m);
    assert.doesNotMatch(r.stdout, /fix:/);
    assert.match(r.stderr, /^swrole: doctor: \d+ check\(s\), 0 warning\(s\), nothing failed$/m);
    // A fail: the report still on stdout, then the error (exit 3, config kind) with its code under --debug.
    const broken = await runSwrole(['doctor', '--debug'], { ...w.env, AWS_CA_BUNDLE: '/nonexistent/ca.pem' }, { cwd: w.dir });
    assert.equal(broken.code, 3, broken.stderr);
    assert.match(
      broken.stdout,
      /^fail  ca-bundle: AWS_CA_BUNDLE names \/nonexistent\/ca\.pem.*\n {6}fix: point AWS_CA_BUNDLE at your CA bundle/m,
    );
    assert.match(broken.stderr, /^swrole: doctor: 1 check\(s\) failed\n {2}hint: each "fail" line of the report says its fix/m);
    assert.match(broken.stderr, /code: E_DOCTOR_FAILED/);
  });
  it('loads no AWS SDK module (the clock check is one plain HEAD request)', async () => {
    const w = world();
    const log = join(w.dir, 'modules.log');
    const hook = join(w.dir, 'record-modules.cjs');
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join('\\n')));\n`,
    );
    const r = await spawnDetached(process.execPath, ['--require', hook, DIST, 'doctor'], w.env, { cwd: w.dir });
    assert.equal(r.code, 0, r.stderr);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.ok(
      loaded.some((f) => f.endsWith('commands-doctor-doctor.js')),
      loaded.join(', '),
    );
    for (const file of loaded) assert.doesNotMatch(file, /@aws-sdk|aws-sdk-sdk-clients|sdk-gateway|sdk-sso-gateway/, `${file} was loaded`);
  });
});

describe('swrole doctor: broken setups, each with its line and fix', () => {
  const base = agentUserConfig;
  const rows: Array<{
    name: string;
    make: () => Promise<{ w: World; env?: Record<string, string>; args?: string[]; cwd?: string }>;
    expect: Expect[];
  }> = [
    {
      name: 'keys copied from a web page with their quotes (the key is never repeated)',
      make: async () => ({
        w: world(undefined, `[base]\naws_access_key_id = "${USER_ACCESS_KEY_ID}"\naws_secret_access_key = '${USER_SECRET_ACCESS_KEY}'\n`),
      }),
      expect: [
        {
          check: 'quoted-value',
          status: 'fail',
          message: /credentials:2: the value of "aws_access_key_id" is in quotes/,
          fix: /^remove the quotes: aws_access_key_id = …$/,
        },
        {
          check: 'quoted-value',
          status: 'fail',
          message: /credentials:3: the value of "aws_secret_access_key" is in quotes/,
          fix: /^remove the quotes/,
        },
      ],
    },
    {
      name: 'a quoted region',
      make: async () => ({ w: world(`${base(emu.url)}\n[profile tokyo]\nregion = "ap-northeast-1"\n`) }),
      expect: [
        {
          check: 'quoted-value',
          status: 'fail',
          message: /the value of "region" is in quotes/,
          fix: /^remove the quotes: region = ap-northeast-1$/,
        },
      ],
    },
    {
      name: 'a full-width ＝ typed with a Japanese IME (the AWS CLI cannot parse the file)',
      make: async () => ({ w: world(`${base(emu.url)}\n[profile jp]\nregion＝ap-northeast-1\n`) }),
      expect: [
        { check: 'config-files', status: 'fail', message: /config:\d+: line has no "=" separator/, fix: /key = value/ },
        {
          check: 'full-width',
          status: 'fail',
          message: /the separator has full-width characters "＝" \(U\+FF1D\)/,
          fix: /half-width.*: region = ap-northeast-1$/,
        },
        { check: 'setup-paths', status: 'warn', message: /not checked: the config file cannot be read/, fix: /config-files/ },
      ],
    },
    {
      name: 'a secret key typed with a full-width ＝ (the error quotes the line, never the secret)',
      make: async () => ({
        w: world(undefined, `[base]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key＝${USER_SECRET_ACCESS_KEY}\n`),
      }),
      expect: [
        {
          check: 'config-files',
          status: 'fail',
          message: /credentials:3: line has no "=" separator: "aws_secret_access_key…"/,
          fix: /key = value/,
        },
        {
          check: 'full-width',
          status: 'fail',
          message: /credentials:3: the separator has full-width characters/,
          fix: /: aws_secret_access_key = …$/,
        },
        { check: 'setup-paths', status: 'warn', message: /not checked/, fix: /config-files/ },
      ],
    },
    {
      name: 'full-width letters in a key and a full-width space in a value',
      make: async () => ({
        w: world(`${base(emu.url)}\n[profile jp]\nｒｅｇｉｏｎ = us-east-1\noutput = json\u3000\nrole_session_name = a\u3000b\n`),
      }),
      expect: [
        { check: 'full-width', status: 'fail', message: /the key "ｒｅｇｉｏｎ" has full-width characters/, fix: /: region = us-east-1$/ },
        {
          check: 'full-width',
          status: 'fail',
          message: /the value of "role_session_name" has full-width characters "\u3000" \(U\+3000\)/,
          fix: /role_session_name = a b$/,
        },
      ],
    },
    {
      name: 'a full-width profile name (the SDK for JS ignores it too)',
      make: async () => ({ w: world(`${base(emu.url)}\n[profile ｄｅｖ]\nregion = us-east-1\n`) }),
      expect: [
        {
          check: 'full-width',
          status: 'warn',
          message: /the section header \[profile ｄｅｖ\] has full-width characters/,
          fix: /^write \[profile dev\]$/,
        },
        {
          check: 'config',
          status: 'warn',
          message: /\[profile ｄｅｖ\] is read by the AWS CLI as profile "ｄｅｖ" but ignored by the AWS SDK for JS/,
          fix: /letters, digits/,
        },
      ],
    },
    {
      name: 'a role ARN with the account copied from the console (hyphens)',
      make: async () => ({
        w: world(base(emu.url).replace(/(\[profile a\]\n)role_arn = arn:aws:iam::\d+:/, '$1role_arn = arn:aws:iam::1111-1111-1111:')),
      }),
      expect: [
        {
          check: 'role-arn',
          status: 'fail',
          message: /profile "a": .*malformed account "1111-1111-1111".*write it as 111111111111/,
          fix: /correct role_arn of profile "a"/,
        },
      ],
    },
    {
      name: 'a profile without the "profile " prefix in the config file',
      make: async () => ({
        w: world(`${base(emu.url)}\n[dev]\nrole_arn = arn:aws:iam::111111111111:role/RoleNoMfa\nsource_profile = base\n`),
      }),
      expect: [{ check: 'config', status: 'warn', message: /\[dev\] is not a profile in the config file/, fix: /^write \[profile dev\]$/ }],
    },
    {
      name: '[default] and [profile default] both (the CLI takes the later, the SDK for JS always [profile default])',
      make: async () => ({ w: world(`${base(emu.url)}\n[profile default]\nregion = eu-west-1\nservices = sts-endpoint\n`) }),
      expect: [{ check: 'config', status: 'warn', message: /both \[default\] and \[profile default\] exist/, fix: /^keep only one$/ }],
    },
    {
      name: 'an unquoted profile name with a space (ignored by every AWS tool)',
      make: async () => ({ w: world(`${base(emu.url)}\n[profile Access CustomerA]\nregion = us-east-1\n`) }),
      expect: [
        {
          check: 'config',
          status: 'warn',
          message: /\[profile Access CustomerA\] is ignored by the AWS CLI and SDKs/,
          fix: /^write \[profile "Access CustomerA"\]$/,
        },
      ],
    },
    {
      name: 'an inline comment (the SDK for JS cuts the value)',
      make: async () => ({ w: world(base(emu.url).replace('[profile a]\n', '[profile a]\nexternal_id = abc # from the wiki\n')) }),
      expect: [{ check: 'config', status: 'warn', message: /contains " #" or " ;"/, fix: /^put comments on their own line$/ }],
    },
    {
      name: 'AWS_DEFAULT_PROFILE alone (the SDK for JS ignores it)',
      make: async () => ({ w: world(), env: { AWS_DEFAULT_PROFILE: 'nomfa' } }),
      expect: [
        {
          check: 'profile-selection',
          status: 'warn',
          message: /AWS_DEFAULT_PROFILE=nomfa without AWS_PROFILE: .*SDK for JS ignores/,
          fix: /^export AWS_PROFILE=nomfa/,
        },
      ],
    },
    {
      name: 'AWS_PROFILE and AWS_DEFAULT_PROFILE disagree (boto3 reads the other one)',
      make: async () => ({ w: world(), env: { AWS_PROFILE: 'nomfa', AWS_DEFAULT_PROFILE: 'a' } }),
      expect: [
        {
          check: 'profile-selection',
          status: 'warn',
          message: /AWS_PROFILE=nomfa but AWS_DEFAULT_PROFILE=a: .*boto3 and the AWS CLI v1 use "a"/,
          fix: /unset AWS_DEFAULT_PROFILE/,
        },
      ],
    },
    {
      name: 'AWS_PROFILE names a profile that does not exist',
      make: async () => ({ w: world(), env: { AWS_PROFILE: 'nomfaa' } }),
      expect: [{ check: 'profile', status: 'fail', message: /profile "nomfaa" not found/, fix: /did you mean "nomfa"/ }],
    },
    {
      name: 'doctor PROFILE for a profile whose source is missing',
      make: async () => ({
        w: world(`${base(emu.url)}\n[profile broken]\nrole_arn = arn:aws:iam::111111111111:role/RoleNoMfa\nsource_profile = nowhere\n`),
        args: ['broken'],
      }),
      expect: [
        { check: 'profile', status: 'fail', message: /profile "broken": .*nowhere/, fix: /swrole explain broken/ },
        { check: 'profile', status: 'warn', message: /profile "broken" cannot be used/, fix: /swrole explain broken/ },
      ],
    },
    {
      name: 'key variables in the shell beside AWS_PROFILE (the CLI uses the keys, the SDK for JS the profile)',
      make: async () => ({
        w: world(),
        env: { AWS_PROFILE: 'nomfa', AWS_ACCESS_KEY_ID: 'AKIAOLDKEY0000000000', AWS_SECRET_ACCESS_KEY: 'old' },
      }),
      expect: [
        {
          check: 'env-credentials',
          status: 'warn',
          message: /AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY set beside AWS_PROFILE/,
          fix: /^unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY/,
        },
      ],
    },
    {
      name: 'an access key id without its secret in the shell',
      make: async () => ({ w: world(), env: { AWS_ACCESS_KEY_ID: 'AKIAOLDKEY0000000000' } }),
      expect: [{ check: 'env-credentials', status: 'fail', message: /without AWS_SECRET_ACCESS_KEY/, fix: /^unset AWS_ACCESS_KEY_ID$/ }],
    },
    {
      name: 'a clock 7 minutes behind STS (past the refresh window)',
      make: async () => {
        skewed.advance(7 * 60);
        return { w: world(undefined, undefined, skewed.url) };
      },
      expect: [
        {
          check: 'clock',
          status: 'fail',
          message: /this clock is 4\d\d s behind STS .*5-minute refresh window/,
          fix: /timedatectl set-ntp true/,
        },
      ],
    },
    {
      name: 'a clock 20 minutes behind STS (AWS refuses every signed request)',
      make: async () => {
        skewed.advance(13 * 60);
        return { w: world(undefined, undefined, skewed.url) };
      },
      expect: [{ check: 'clock', status: 'fail', message: /this clock is 1\d\d\d s behind STS .*E_CLOCK_SKEW/, fix: /timedatectl/ }],
    },
    {
      name: 'a clock 90 s ahead of STS',
      make: async () => ({
        w: world(undefined, undefined, emu.url),
        env: { SWROLE_NOW_OFFSET_MS: String(emu.now() - Date.now() + 90_000) },
      }),
      expect: [{ check: 'clock', status: 'warn', message: /this clock is (8[5-9]|9[0-5]) s ahead of STS/, fix: /timedatectl/ }],
    },
    {
      name: 'offline: STS refuses the connection (a warning, not a failure)',
      make: async () => ({ w: world(undefined, undefined, 'http://127.0.0.1:9') }),
      expect: [
        {
          check: 'clock',
          status: 'warn',
          message: /not checked: http:\/\/127\.0\.0\.1:9 did not answer \(connection refused\)/,
          fix: /HTTPS_PROXY/,
        },
      ],
    },
    {
      name: 'an endpoint that accepts and never answers: a warning after the timeout, no hang',
      make: async () => ({ w: world(undefined, undefined, stall.url) }),
      expect: [{ check: 'clock', status: 'warn', message: /did not answer \(no answer within 3 s\)/, fix: /network/ }],
    },
    {
      name: 'HTTP_PROXY names no URL',
      make: async () => ({ w: world(), env: { HTTP_PROXY: 'http://[not-a-host' } }),
      expect: [
        { check: 'proxy', status: 'fail', message: /HTTP_PROXY is not a URL/, fix: /set HTTP_PROXY to http:\/\/HOST:PORT/ },
        { check: 'clock', status: 'warn', message: /not checked/, fix: /HTTPS_PROXY/ },
      ],
    },
    {
      name: 'AWS_CA_BUNDLE names a file that is gone',
      make: async () => ({ w: world(), env: { AWS_CA_BUNDLE: '/nonexistent/corp-ca.pem' } }),
      expect: [
        {
          check: 'ca-bundle',
          status: 'fail',
          message: /AWS_CA_BUNDLE names \/nonexistent\/corp-ca\.pem, which is not a readable file/,
          fix: /point AWS_CA_BUNDLE at your CA bundle/,
        },
      ],
    },
    {
      name: 'NODE_EXTRA_CA_CERTS names a file that is gone',
      make: async () => ({ w: world(), env: { NODE_EXTRA_CA_CERTS: '/nonexistent/extra.pem' } }),
      expect: [
        { check: 'ca-bundle', status: 'fail', message: /NODE_EXTRA_CA_CERTS names \/nonexistent\/extra\.pem/, fix: /NODE_EXTRA_CA_CERTS/ },
      ],
    },
    {
      name: "swrole's cache dir readable by others",
      make: async () => {
        const w = world();
        mkdirSync(join(w.home, '.cache', 'swrole'), { recursive: true, mode: 0o755 });
        chmodSync(join(w.home, '.cache', 'swrole'), 0o755);
        return { w };
      },
      expect: [
        { check: 'state-dir', status: 'warn', message: /\.cache\/swrole is readable by other users/, fix: /^chmod 700 .*\.cache\/swrole$/ },
        { check: 'agent-paths', status: 'warn', message: /not checked until the state-dir findings are fixed/, fix: /state-dir/ },
        { check: 'agent-project', status: 'warn', message: /not checked/, fix: /state-dir/ },
      ],
    },
    {
      name: "swrole's state dir writable by others (a plant is possible)",
      make: async () => {
        const w = world();
        mkdirSync(join(w.home, '.local', 'state', 'swrole'), { recursive: true });
        chmodSync(join(w.home, '.local', 'state', 'swrole'), 0o777);
        return { w };
      },
      expect: [
        {
          check: 'state-dir',
          status: 'fail',
          message: /swrole refuses to use .*state\/swrole: it is writable by other users \(mode 0777\)/,
          fix: /chmod 700/,
        },
        { check: 'agent-paths', status: 'warn', message: /not checked/, fix: /state-dir/ },
        { check: 'agent-project', status: 'warn', message: /not checked/, fix: /state-dir/ },
      ],
    },
    {
      name: '`swrole setup` ran from an install that is gone (a node version manager removed it)',
      make: async () => {
        const w = world();
        const old = join(w.dir, 'old-install');
        cpSync(dirname(DIST), old, { recursive: true });
        const r = await runSwrole(['setup', 'nomfa'], w.env, { dist: join(old, 'swrole.js') });
        assert.equal(r.code, 0, r.stderr);
        assert.match(readFileSync(w.configFile, 'utf8'), /old-install\/swrole\.js process nomfa/);
        rmSync(old, { recursive: true, force: true });
        return { w };
      },
      expect: [
        {
          check: 'setup-paths',
          status: 'fail',
          message: /profile "nomfa\.swrole": credential_process runs .*old-install\/swrole\.js, which no longer exists/,
          fix: /^run `swrole setup nomfa` again/,
        },
      ],
    },
    {
      name: 'an agent grant whose swrole is gone, run in its project',
      make: async () => {
        const w = world();
        const old = join(w.dir, 'old-install');
        cpSync(dirname(DIST), old, { recursive: true });
        const project = createProject(w.dir, 'gone');
        const r = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], w.env, {
          dist: join(old, 'swrole.js'),
          timeoutMs: 60_000,
        });
        assert.equal(r.code, 0, r.stderr);
        rmSync(old, { recursive: true, force: true });
        return { w, cwd: project };
      },
      expect: [
        {
          check: 'agent-paths',
          status: 'fail',
          message: /the agent grant of .*gone\/project calls .*old-install\/swrole\.js, which no longer exists/,
          fix: /^run `swrole agent claude nomfa --dir .*gone\/project` again$/,
        },
        {
          check: 'agent-project',
          status: 'fail',
          message: /a hook in .*settings\.local\.json runs .*old-install\/swrole\.js, which no longer exists/,
          fix: /swrole agent claude nomfa/,
        },
      ],
    },
    {
      name: "the project's settings lost the grant's env (edited by hand), in a shell holding keys",
      make: async () => {
        const w = world();
        const project = createProject(w.dir, 'edited', 'sub');
        const r = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], w.env, { timeoutMs: 60_000 });
        assert.equal(r.code, 0, r.stderr);
        const file = join(project, '.claude', 'settings.local.json');
        const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        delete settings.env;
        writeFileSync(file, JSON.stringify(settings, null, 2));
        return {
          w,
          cwd: join(project, 'sub'),
          env: { SWROLE_PROFILE: 'nomfa', AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE000000000', AWS_SECRET_ACCESS_KEY: 'x' },
        };
      },
      expect: [
        {
          check: 'agent-project',
          status: 'fail',
          message: /settings\.local\.json sets AWS_CONFIG_FILE=\(nothing\), not the grant's view/,
          fix: /swrole agent claude nomfa --dir .*edited\/project/,
        },
        {
          check: 'agent-project',
          status: 'warn',
          message: /this shell has AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, which .* does not override/,
          fix: /^unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY before starting Claude Code/,
        },
      ],
    },
    {
      name: "the grant's view was deleted, the settings still point at it",
      make: async () => {
        const w = world();
        const project = createProject(w.dir, 'no-view');
        const r = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], w.env, { timeoutMs: 60_000 });
        assert.equal(r.code, 0, r.stderr);
        rmSync(join(w.home, '.local', 'state', 'swrole', 'agents'), { recursive: true, force: true });
        return { w, cwd: project };
      },
      expect: [
        {
          check: 'agent-project',
          status: 'fail',
          message: /settings\.local\.json points Claude Code at .*swrole\/agents\/.*\/config, which is gone/,
          fix: /swrole agent claude PROFILE/,
        },
      ],
    },
    {
      name: "the grant's settings file was deleted",
      make: async () => {
        const w = world();
        const project = createProject(w.dir, 'no-settings');
        const r = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], w.env, { timeoutMs: 60_000 });
        assert.equal(r.code, 0, r.stderr);
        rmSync(join(project, '.claude', 'settings.local.json'));
        return { w, cwd: project };
      },
      expect: [
        {
          check: 'agent-project',
          status: 'fail',
          message: /settings\.local\.json is gone: Claude Code in .* gets none of the grant/,
          fix: /swrole agent claude nomfa --dir/,
        },
      ],
    },
    {
      name: 'a grant made in a subdirectory of the git repository (Claude Code reads the git root)',
      make: async () => {
        const w = world();
        const project = createProject(w.dir, 'subdir', 'packages/app');
        const r = await runSwrole(['agent', 'claude', 'nomfa', '--dir', join(project, 'packages', 'app')], w.env, { timeoutMs: 60_000 });
        assert.equal(r.code, 0, r.stderr);
        return { w, cwd: join(project, 'packages', 'app') };
      },
      expect: [
        {
          check: 'agent-project',
          status: 'warn',
          message: /the grant is for .*packages\/app, but the git root is .*subdir\/project/,
          fix: /--dir .*subdir\/project` again$/,
        },
      ],
    },
  ];

  for (const row of rows) {
    it(row.name, async () => {
      const { w, env, args, cwd } = await row.make();
      const r = await doctor(w, env, args, cwd);
      assertLines(r, row.expect);
      // Bounded even offline or against a silent endpoint (the clock check gives up after 3 s).
      assert.ok(r.ms < 20_000, `doctor took ${Math.round(r.ms)} ms`);
      // Never a secret, whatever was broken.
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, new RegExp(`${USER_SECRET_ACCESS_KEY}|${USER_ACCESS_KEY_ID}`));
    });
  }
});

describe('swrole doctor changes nothing', () => {
  it('a view dir readable by others is reported, not tightened (every other command would tighten it)', async () => {
    const w = world();
    const project = createProject(w.dir, 'loose');
    const grant = await runSwrole(['agent', 'claude', 'nomfa', '--dir', project], w.env, { timeoutMs: 60_000 });
    assert.equal(grant.code, 0, grant.stderr);
    const agents = join(w.home, '.local', 'state', 'swrole', 'agents');
    const [view] = readdirSync(agents);
    chmodSync(join(agents, view!), 0o755);
    const r = await doctor(w, {}, [], project);
    assertLines(r, [
      { check: 'state-dir', status: 'warn', message: new RegExp(`agents/${view} is readable by other users`), fix: /^chmod 700 / },
      { check: 'agent-paths', status: 'warn', message: /not checked/, fix: /state-dir/ },
      { check: 'agent-project', status: 'warn', message: /not checked/, fix: /state-dir/ },
    ]);
    assert.equal(statSync(join(agents, view!)).mode & 0o777, 0o755);
  });
});

describe('swrole doctor: the clock check goes where swrole sends STS', () => {
  it('through HTTPS_PROXY to an endpoint only the proxy can resolve, and around it with NO_PROXY', async () => {
    const port = new URL(emu.url).port;
    const w = world(undefined, undefined, `http://sts.proxy-only.test:${port}`);
    const before = proxy.log.length;
    const r = await doctor(w, { HTTP_PROXY: proxy.url });
    assert.equal(r.code, 0, pretty(r.lines));
    assert.match(r.lines.find((l) => l.check === 'clock')!.message, /within \d+ s of STS \(http:\/\/sts\.proxy-only\.test/);
    assert.match(
      r.lines.find((l) => l.check === 'proxy')!.message,
      new RegExp(`through http://127\\.0\\.0\\.1:${proxy.port} \\(HTTP_PROXY\\)`),
    );
    assert.deepEqual(
      proxy.log.slice(before).map((e) => [e.method, e.target]),
      [['FORWARD', `sts.proxy-only.test:${port}`]],
    );
    const direct = await doctor(world(), { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    assert.equal(direct.code, 0, pretty(direct.lines));
    assert.match(direct.lines.find((l) => l.check === 'proxy')!.message, /reached directly/);
    assert.equal(proxy.log.length, before + 1);
  });

  it('over TLS through a CONNECT tunnel, trusting the AWS_CA_BUNDLE swrole would use (and only it)', async () => {
    const url = tlsEmu.url.replace('127.0.0.1', TLS_HOST);
    const w = world(undefined, undefined, url);
    const before = proxy.log.length;
    const r = await doctor(w, { HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: trusted.certFile });
    assert.equal(r.code, 0, pretty(r.lines));
    assert.match(r.lines.find((l) => l.check === 'clock')!.message, new RegExp(`within \\d+ s of STS \\(${url}\\)`));
    assert.match(r.lines.find((l) => l.check === 'ca-bundle')!.message, /CA bundles exist: .*trusted-cert\.pem \(AWS_CA_BUNDLE\)/);
    assert.deepEqual(
      proxy.log.slice(before).map((e) => [e.method, e.target, e.status]),
      [['CONNECT', `${TLS_HOST}:${new URL(url).port}`, 200]],
    );
    // A bundle without the endpoint's certificate: the clock cannot be read, and doctor says why.
    const wrong = await doctor(w, { HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: other.certFile });
    assert.equal(wrong.code, 0, pretty(wrong.lines));
    const clock = wrong.lines.find((l) => l.check === 'clock')!;
    assert.equal(clock.status, 'warn');
    assert.match(clock.message, /not checked: .* did not answer \(TLS: .*certificate.*AWS_CA_BUNDLE or ca_bundle\)/i);
  });

  it('AWS_ENDPOINT_URL_STS wins over the profile, as in the AWS CLI', async () => {
    const w = world(agentUserConfig('http://127.0.0.1:9'));
    const r = await doctor(w);
    assert.equal(r.code, 0, pretty(r.lines));
    assert.match(r.lines.find((l) => l.check === 'clock')!.message, new RegExp(`\\(${emu.url}\\)`));
  });
});
