// `swrole agent claude` as Claude Code uses it: settings.local.json `env` read like Claude Code does, then
// separate `bash -c` processes without a terminal running the aws CLI and the Node SDK against the emulator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { DIST, runSwrole, writeUserAwsFiles, sampleConfigWithStsEndpoint } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';
import { mapLimit } from '../helpers/map-limit.js';

const NODE_MODULES = resolve('node_modules');
/** Agent commands running at once (Claude Code runs tool calls in parallel). */
const AGENT_CONCURRENCY = 4;
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

// The agent's own tools (botocore, the Node SDK) sign with the real clock and botocore refuses credentials whose
// Expiration is past in real time, while STS allows 15 min of skew. So the emulator starts 5 min behind real
// time (the grant's 15-min role session then stays valid in real time for 10 min: ample for the first runs,
// however loaded the machine), and the view test later moves it to 14 min ahead: past that session's expiry,
// still within the skew, and the renewed session is valid in real time for 29 min. No real-time window is tight.
useEmulatorSandbox(
  async (fixture) => {
    emu = fixture.emu;
    ({ dir, home } = fixture.box);
    // The realistic way to a private STS: an endpoint in the user's profile, which the view carries over.
    writeUserAwsFiles(home, sampleConfigWithStsEndpoint(dir, emu.url));
    const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], { AWS_ENDPOINT_URL_STS: emu.url });
    assert.equal(login.code, 0, login.stderr);
  },
  { clock: () => Date.now() - 5 * 60_000 },
);

describe('swrole agent claude (e2e, as Claude Code runs it)', () => {
  it('view mode: 12 agent processes (aws CLI + Node SDK), launched with keys exported, run as a read-only, tagged RoleA session; expiry is renewed silently', async () => {
    const p = project('proj-view');
    const start = assumeCalls().length;
    const setup = await swrole(['agent', 'claude', 'a', '--read-only', '--duration', '15m', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    assert.match(setup.stderr, /gets a \(read-only\) as AWS_PROFILE=a@agent/);
    assert.match(
      setup.stderr,
      /^swrole: {3}a ready \(1[45]m left, renewed by itself\)$/m,
      'the grant was issued once, as the agent gets it',
    );
    assert.match(setup.stderr, /undo with: swrole agent claude --remove/);
    const env = settingsEnv(p);
    // The view, and what neutralises the launching shell: key variables blank, AWS_DEFAULT_PROFILE the same view-only name.
    assert.deepEqual(
      { ...env },
      {
        AWS_CONFIG_FILE: env.AWS_CONFIG_FILE,
        AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE,
        AWS_PROFILE: 'a@agent',
        AWS_DEFAULT_PROFILE: 'a@agent',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_SECURITY_TOKEN: '',
        AWS_CREDENTIAL_EXPIRATION: '',
      },
    );
    assert.equal(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8'), '', 'the agent sees no long-term keys');
    for (const f of [env.AWS_CONFIG_FILE!, env.AWS_SHARED_CREDENTIALS_FILE!]) assert.equal(statSync(f).mode & 0o777, 0o600);
    const view = readFileSync(env.AWS_CONFIG_FILE!, 'utf8');
    assert.match(view, /^\[profile a@agent\]$/m);
    assert.match(view, /^\[profile a\]$/m);
    assert.doesNotMatch(view, /role_arn|mfa_serial|source_profile|aws_secret_access_key/);
    assert.equal(assumeCalls().length - start, 1, "the grant's test issuance: one AssumeRole, now cached");

    // One agent command: the aws CLI, then the Node SDK, each resolving credentials through the view.
    const agentRun = async (i: number) => {
      const agentEnv = {
        PATH: process.env.PATH ?? '',
        HOME: home,
        // The shell Claude Code was started from (after awsume or aws-vault): keys and a default profile exported.
        AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
        AWS_DEFAULT_PROFILE: 'other',
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
    };
    // As an agent runs them, several at a time: 7 on the grant's session, then (the session expired) one that
    // renews it, then 4 more on the renewed one.
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
    await mapLimit(range(0, 7), AGENT_CONCURRENCY, agentRun);
    // From 5 min behind real time to 14 min ahead: the 15-min session issued at the grant has expired.
    emu.advance(19 * 60);
    const afterAdvance = assumeCalls().length;
    await agentRun(7);
    assert.equal(assumeCalls().length - afterAdvance, 1, 'exactly one new AssumeRole after expiry');
    await mapLimit(range(8, 12), AGENT_CONCURRENCY, agentRun);
    const calls = assumeCalls().slice(start);
    assert.equal(calls.length, 2, "one AssumeRole per role session (the grant's, the renewal), none per process");
    for (const call of calls) {
      assert.equal(call.params['PolicyArns.member.1.arn'], 'arn:aws:iam::aws:policy/ReadOnlyAccess');
      assert.match(call.params.SourceIdentity ?? '', /^[\w+=,.@-]{2,64}$/);
      assert.equal(call.params['Tags.member.1.Key'], 'swrole:agent');
      assert.equal(call.params['Tags.member.1.Value'], 'claude');
    }

    // No secret anywhere in the project: not the role's keys, not the user's.
    const creds = spawnSync('bash', ['-c', view.match(/^credential_process = (.*)$/m)![1]!], {
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

    const audit = readFileSync(join(home, '.local', 'state', 'swrole', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const agentLines = audit.filter((l) => l.agent === 'claude');
    // At least one line per credential resolution (the aws CLI's and the SDK's of each run) and the grant's check.
    assert.ok(agentLines.length >= 12 * 2 + 1, `${agentLines.length} audit lines`);
    assert.equal(agentLines.filter((l) => l.source === 'sts').length, 2);
    assert.equal(agentLines.filter((l) => l.command === 'agent claude (check)').length, 1, "the grant's test issuance is logged");
    assert.ok(agentLines.every((l) => l.roleArn === `arn:aws:iam::${ACCOUNT_A}:role/RoleA` && l.profile === 'a' && l.readOnly === true));
    assert.ok(!readFileSync(join(home, '.local', 'state', 'swrole', 'audit.log'), 'utf8').includes(issued.AccessKeyId));

    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(!existsSync(join(p, '.claude', 'settings.local.json')), 'the file swrole created is gone');
    assert.ok(!existsSync(env.AWS_CONFIG_FILE!), 'the view is deleted');
  });

  it('env-file mode: the SessionStart hook (written, with a timeout) fills CLAUDE_ENV_FILE once and tells the model; every Bash command gets the view, whatever the launching shell exported', async () => {
    const p = project('proj-env-file');
    const setup = await swrole(['agent', 'claude', 'a', '--read-only', '--mode', 'env-file', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal(setup.stdout, '', 'the hooks are written, not printed');
    const settings = JSON.parse(readFileSync(join(p, '.claude', 'settings.local.json'), 'utf8')) as {
      env?: unknown;
      hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: string; command: string; timeout?: number }> }>>;
    };
    assert.equal(settings.env, undefined, 'env-file mode puts nothing in "env" (it would reach Claude Code itself)');
    assert.deepEqual(Object.keys(settings.hooks).sort(), ['FileChanged', 'SessionStart']);
    const hook = settings.hooks.SessionStart![0]!.hooks[0]!;
    assert.deepEqual(hook, { type: 'command', command: `${process.execPath} ${DIST} agent session-hook`, timeout: 10 });
    assert.deepEqual(settings.hooks.FileChanged![0]!.hooks[0], hook, 'a re-grant mid-session reaches the session');

    const envFile = join(dir, 'session-env.sh');
    const input = JSON.stringify({ session_id: 's', hook_event_name: 'SessionStart', source: 'startup', cwd: p });
    for (let i = 0; i < 2; i++) {
      const r = await runDetached(
        'bash',
        ['-c', hook.command],
        { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_ENV_FILE: envFile, CLAUDE_PROJECT_DIR: p },
        input,
        30_000,
      );
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as {
        hookSpecificOutput: { hookEventName: string; additionalContext: string; watchPaths: string[] };
      };
      assert.equal(out.hookSpecificOutput.hookEventName, 'SessionStart');
      assert.match(out.hookSpecificOutput.additionalContext, /granted profile a .*AWS_PROFILE=a@agent.*read-only.*swrole login PROFILE/s);
      assert.doesNotMatch(r.stdout, /ASIA|AKIA/);
      assert.equal(out.hookSpecificOutput.watchPaths.length, 1);
      assert.match(out.hookSpecificOutput.watchPaths[0]!, /view\.json$/);
    }
    const lines = readFileSync(envFile, 'utf8').trim().split('\n');
    assert.equal(lines.length, 9, 'each export written once (4 pointing at the view, 5 key variables blanked)');
    assert.ok(
      lines.every((l) => /^export [A-Z_]+=/.test(l)),
      'plain assignments only: Claude Code refuses anything else',
    );
    assert.ok(lines.includes("export AWS_ACCESS_KEY_ID=''"));
    assert.ok(lines.includes("export AWS_DEFAULT_PROFILE='a@agent'"));
    for (let i = 0; i < 3; i++) {
      const r = await bash(`source ${JSON.stringify(envFile)}\naws sts get-caller-identity --query Arn --output text`, {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
        AWS_DEFAULT_PROFILE: 'other',
        ...clock(),
        CLAUDECODE: '1',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.trim(), ASSUMED);
    }
    const none = await runDetached(
      'bash',
      ['-c', hook.command],
      { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_ENV_FILE: join(dir, 'other.sh'), CLAUDE_PROJECT_DIR: dir },
      input,
      30_000,
    );
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '', 'no view for that directory: nothing said to the model');
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
