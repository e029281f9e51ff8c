// `swrole agent claude` as Claude Code uses it: settings.local.json `env` read like Claude Code does, then
// separate `bash -c` processes without a terminal running the aws CLI and the Node SDK against the emulator.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, sampleWorld, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { ensureBuilt, runSwrole, writeUserAwsFiles, sampleConfigWithStsEndpoint } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';

const NODE_MODULES = resolve('node_modules');
const ASSUMED = new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/`);
// One line, no single quotes: it goes into bash as node -e '...'.
const SDK_SCRIPT =
  'const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts"); ' +
  'new STSClient({}).send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn), (e) => { console.error(e.message); process.exit(1); });';

let emu: EmulatorHandle;
let dir: string;
let home: string;

/** swrole (and anything that runs it) follows the emulator's clock. */
const clock = () => ({ SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
const baseEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...clock() });
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, { ...baseEnv(), ...extra });

/** Like Claude Code's Bash tool: a fresh bash per command, its own session (no controlling terminal), pipes only. */
const bash = (script: string, env: Record<string, string>, timeoutMs = 30_000) => runDetached('bash', ['-c', script], env, '', timeoutMs);

function project(name: string): string {
  const p = join(dir, name);
  mkdirSync(p);
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: p }).status, 0);
  return p;
}

/** Every file under `root` (including .git), as text. */
function allText(root: string): string {
  let out = '';
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += readFileSync(join(entry.parentPath, entry.name), 'latin1');
  }
  return out;
}

function settingsEnv(p: string): Record<string, string> {
  const settings = JSON.parse(readFileSync(join(p, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> };
  return settings.env;
}

const assumeCalls = () => emu.calls().filter((c) => c.action === 'AssumeRole' && c.code === 'OK');

before(async () => {
  ensureBuilt();
  // 7 min behind real time: the agent's own tools sign with the real clock (STS allows 15 min of skew), and
  // advancing 16 min later puts the emulator 9 min ahead while the 15-min role session has expired. The aws CLI
  // and the SDK check that session's expiry against the real clock: it has 15 − 7 = 8 min of real time left,
  // so the runs before the advance may take that long (at 14 min behind, a loaded machine ran out of the 1 min).
  emu = await startEmulator({ world: sampleWorld(), clock: () => Date.now() - 7 * 60_000 });
  dir = mkdtempSync(join(tmpdir(), 'swrole-agent-e2e-'));
  home = join(dir, 'home');
  // The realistic way to a private STS: an endpoint in the user's profile, which the view carries over.
  writeUserAwsFiles(home, sampleConfigWithStsEndpoint(dir, emu.url));
  const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], { AWS_ENDPOINT_URL_STS: emu.url });
  assert.equal(login.code, 0, login.stderr);
});
after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('swrole agent claude (e2e, as Claude Code runs it)', () => {
  it('view mode: 20 agent processes (aws CLI + Node SDK) run as a read-only, tagged RoleA session; expiry is renewed silently', async () => {
    const p = project('proj-view');
    const setup = await swrole(['agent', 'claude', 'a', '--read-only', '--duration', '15m', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    assert.match(setup.stderr, /undo with: swrole agent claude --remove/);
    const env = settingsEnv(p);
    assert.deepEqual(Object.keys(env).sort(), ['AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE']);
    assert.equal(env.AWS_PROFILE, 'a');
    assert.equal(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8'), '', 'the agent sees no long-term keys');
    for (const f of [env.AWS_CONFIG_FILE!, env.AWS_SHARED_CREDENTIALS_FILE!]) assert.equal(statSync(f).mode & 0o777, 0o600);

    const before = assumeCalls().length;
    let afterAdvance = -1;
    for (let i = 0; i < 20; i++) {
      if (i === 12) {
        emu.advance(16 * 60);
        afterAdvance = assumeCalls().length;
      }
      const agentEnv = {
        PATH: process.env.PATH ?? '',
        HOME: home,
        ...env,
        ...clock(),
        CLAUDECODE: '1',
        NODE_PATH: NODE_MODULES,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      const r = await bash(`aws sts get-caller-identity --query Arn --output text && node -e '${SDK_SCRIPT}'`, agentEnv);
      assert.equal(r.code, 0, `run ${i}: ${r.stderr}`);
      const [cli, sdk] = r.stdout.trim().split('\n');
      assert.match(cli ?? '', ASSUMED, `run ${i} aws CLI`);
      assert.match(sdk ?? '', ASSUMED, `run ${i} Node SDK`);
      assert.match(cli ?? '', /\/swrole-[\w+=,.@-]*-claude$/);
      if (i === 12) assert.equal(assumeCalls().length - afterAdvance, 1, 'exactly one new AssumeRole after expiry');
    }
    const calls = assumeCalls().slice(before);
    assert.equal(calls.length, 2, 'one AssumeRole per role session, none per process');
    for (const call of calls) {
      assert.equal(call.params['PolicyArns.member.1.arn'], 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      assert.match(call.params.SourceIdentity ?? '', /^[\w+=,.@-]{2,64}$/);
      assert.equal(call.params['Tags.member.1.Key'], 'swrole:agent');
      assert.equal(call.params['Tags.member.1.Value'], 'claude');
    }

    // No secret anywhere in the project: not the role's keys, not the user's.
    const creds = spawnSync('bash', ['-c', readFileSync(env.AWS_CONFIG_FILE!, 'utf8').match(/^credential_process = (.*)$/m)![1]!], {
      env: { PATH: process.env.PATH, HOME: home, ...clock() },
      encoding: 'utf8',
    });
    assert.equal(creds.status, 0, creds.stderr);
    const issued = JSON.parse(creds.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const tree = allText(p);
    assert.doesNotMatch(tree, /\b(ASIA|AKIA)[A-Z0-9]{16}\b/);
    for (const secret of [issued.SecretAccessKey, issued.SessionToken, USER_SECRET_ACCESS_KEY]) assert.ok(!tree.includes(secret));
    assert.equal(
      spawnSync('git', ['check-ignore', '-q', '.claude/settings.local.json'], { cwd: p }).status,
      0,
      'git ignores the settings file',
    );

    const outside = await bash('aws --profile other sts get-caller-identity', {
      PATH: process.env.PATH ?? '',
      HOME: home,
      ...env,
      CLAUDECODE: '1',
    });
    assert.notEqual(outside.code, 0);
    assert.match(outside.stderr, /profile \(other\) could not be found/);

    const audit = readFileSync(join(home, '.cache', 'swrole', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const agentLines = audit.filter((l) => l.agent === 'claude');
    assert.ok(agentLines.length >= 40, `${agentLines.length} audit lines`);
    assert.equal(agentLines.filter((l) => l.source === 'sts').length, 2);
    assert.ok(agentLines.every((l) => l.roleArn === `arn:aws:iam::${ACCOUNT_A}:role/RoleA` && l.profile === 'a' && l.readOnly === true));
    assert.ok(!readFileSync(join(home, '.cache', 'swrole', 'audit.log'), 'utf8').includes(issued.AccessKeyId));

    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(!existsSync(join(p, '.claude', 'settings.local.json')), 'the file swrole created is gone');
    assert.ok(!existsSync(env.AWS_CONFIG_FILE!), 'the view is deleted');
  });

  it('env-file mode: the SessionStart hook fills CLAUDE_ENV_FILE once; every Bash command gets the view', async () => {
    const p = project('proj-env-file');
    const setup = await swrole(['agent', 'claude', 'a', '--read-only', '--mode', 'env-file', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    const hook = JSON.parse(setup.stdout) as { hooks: { SessionStart: Array<{ hooks: Array<{ command: string }> }> } };
    const command = hook.hooks.SessionStart[0]!.hooks[0]!.command;
    const envFile = join(dir, 'session-env.sh');
    for (let i = 0; i < 2; i++) {
      const r = await bash(command, { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_ENV_FILE: envFile, CLAUDE_PROJECT_DIR: p });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', 'nothing goes into the model context');
    }
    const lines = readFileSync(envFile, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3, 'each export written once');
    for (let i = 0; i < 3; i++) {
      const r = await bash(`source ${JSON.stringify(envFile)}\naws sts get-caller-identity --query Arn --output text`, {
        PATH: process.env.PATH ?? '',
        HOME: home,
        ...clock(),
        CLAUDECODE: '1',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.trim(), ASSUMED);
    }
    const none = await bash(command, {
      PATH: process.env.PATH ?? '',
      HOME: home,
      CLAUDE_ENV_FILE: join(dir, 'other.sh'),
      CLAUDE_PROJECT_DIR: dir,
    });
    assert.equal(none.code, 0);
    assert.ok(!existsSync(join(dir, 'other.sh')), 'no view for that directory: nothing written');
  });

  it('keys mode: working role keys with their expiry in env, risks printed; --remove takes them back', async () => {
    const p = project('proj-keys');
    writeFileSync(join(p, '.claude-keep'), '');
    const setup = await swrole(['agent', 'claude', 'a', '--read-only', '--mode', 'keys', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    assert.match(setup.stderr, /readable by the model/);
    assert.match(setup.stderr, /expire at/);
    const env = settingsEnv(p);
    assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    const expiry = Date.parse(env.AWS_CREDENTIAL_EXPIRATION ?? '');
    assert.ok(expiry > emu.now(), 'expires in the future');
    const r = await bash('aws sts get-caller-identity --query Arn --output text', {
      PATH: process.env.PATH ?? '',
      HOME: home,
      ...env,
      AWS_ENDPOINT_URL_STS: emu.url,
      CLAUDECODE: '1',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), ASSUMED);
    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(!existsSync(join(p, '.claude', 'settings.local.json')));
  });
});
