// The acceptance suite of issue 9 (swrole agent claude inside Claude Code), written once and run by two harnesses:
// the real Claude Code binary (test/agents/claude-code.test.ts: run-claude.ts) and its mimic (the fast twin,
// test/agents/claude-code-twins.test.ts: mimic-claude.ts). Each test sets swrole up as a user does (throwaway HOME
// with ~/.aws, a git project, `swrole agent claude …`), runs the agent's Bash commands through the harness and
// judges by each tool_result and by the STS emulator's call log. Where the mimic cannot copy Claude Code (its own
// Bedrock client), the mimic twin checks only swrole's side; where the real run is long (20 commands) the twin runs 5.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from './emulator-fixture.js';
import type { CallRecord } from '../../emulator/call-record.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET, ROLE_A_ARN, ROLE_NO_MFA_ARN, USER_ACCESS_KEY_ID, USER_ARN, USER_SECRET_ACCESS_KEY } from './emulator-world.js';
import { DIST, runSwrole, type RunResult } from './swrole-run.js';
import { runDetached } from './run-detached.js';
import type { ClaudeRun, RunClaudeOptions, StatusLineRun } from './run-claude.js';
import { startEgressProxy } from './egress-proxy.js';
import { READ_TOOL, UNSANDBOXED, WRITE_TOOL } from './scripted-turns.js';
import {
  agentArn,
  agentWorld,
  createProject,
  createUserHome,
  LONG_TERM_KEY,
  READ_ONLY_POLICY_ARN,
  ROLE_BEDROCK_ARN,
  ROLE_PLAIN_ARN,
  WHO,
} from './agent-world.js';
import { APP_ROLE_ARN, issueSignIn, writeTokenFile, type IssuedSignIn } from './sso-world.js';

/** swrole as the user runs it in their own terminal (no agent markers), from `cwd`. */
const swrole = (home: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  runSwrole(
    args,
    { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: process.env.USER ?? 'tester', ...options.env },
    { cwd: options.cwd },
  );

/** A session policy in the call: the managed ReadOnlyAccess ARN or an inline policy. */
const scoped = (c: CallRecord) => c.params['PolicyArns.member.1.arn'] === READ_ONLY_POLICY_ARN || c.params.Policy !== undefined;

const clip = (text: string) => (text.length > 700 ? `${text.slice(0, 500)}\n[… ${text.length - 700} more …]\n${text.slice(-200)}` : text);
/** Every tool_result with its command (long outputs clipped), for assertion messages. */
const transcript = (run: ClaudeRun) =>
  `exit ${run.exitCode}${run.signal ? ` (${run.signal})` : ''} after ${Math.round(run.ms)} ms\n` +
  run.results.map((r, i) => `#${i} $ ${r.command}\n${r.isError ? '[error] ' : ''}${clip(r.output)}`).join('\n') +
  (run.stderr ? `\n[claude stderr] ${run.stderr}` : '');

/** Claude Code ran every command, said nothing unexpected to the mocks and nothing tried to leave loopback. */
function assertCompleteAndOffline(run: ClaudeRun, commands: number): void {
  assert.equal(run.exitCode, 0, transcript(run));
  assert.equal(run.results.length, commands, transcript(run));
  assert.deepEqual(run.unexpected, [], 'the model mocks saw only requests they know');
  assert.deepEqual(run.offLoopback, [], 'nothing tried to leave loopback');
}

/** Each result line-by-line: `arn` commands print the agent's ARN of `roleArn`, `key` ones a temporary key. */
type Expect = 'arn' | 'key';
interface Step {
  command: string;
  expect: Expect;
}
function assertSteps(run: ClaudeRun, steps: Step[], roleArn: string): void {
  assertCompleteAndOffline(run, steps.length);
  steps.forEach((step, i) => {
    const r = run.results[i]!;
    assert.equal(r.isError, false, `#${i} ${step.command}\n${transcript(run)}`);
    if (step.expect === 'arn') assert.match(r.output.trim(), agentArn(roleArn), `#${i} ${step.command}\n${transcript(run)}`);
    else assert.match(r.output.trim(), /^ASIA[A-Z0-9]{16} with-token$/, `#${i} ${step.command}\n${transcript(run)}`);
  });
}

/** The three SDKs ask who they are, and two of them which key they hold. */
const whoSteps = (): Step[] => [
  { command: WHO.awsCli(), expect: 'arn' },
  { command: WHO.boto3(), expect: 'arn' },
  { command: WHO.nodeSdk(), expect: 'arn' },
  { command: WHO.boto3Key(), expect: 'key' },
  { command: WHO.nodeKey(), expect: 'key' },
];

/** 20 agent commands through the aws CLI, boto3 and the Node SDK: first calls, explicit profiles, wrappers, hits. */
const twentySteps = (profile: string): Step[] => [
  ...whoSteps(),
  { command: WHO.awsCli(` --profile ${profile}`), expect: 'arn' },
  { command: `AWS_PROFILE=${profile} ${WHO.nodeSdk()}`, expect: 'arn' },
  {
    command: `python3 -c 'import boto3; print(boto3.Session(profile_name="${profile}").client("sts").get_caller_identity()["Arn"])'`,
    expect: 'arn',
  },
  { command: `bash -c "${WHO.awsCli()}"`, expect: 'arn' },
  {
    command: `aws sts get-caller-identity --output json | python3 -c 'import json, sys; print(json.load(sys.stdin)["Arn"])'`,
    expect: 'arn',
  },
  ...Array.from({ length: 10 }, (_, i): Step => [whoSteps()[0]!, whoSteps()[1]!, whoSteps()[2]!][i % 3]!),
];

const commandsOf = (steps: Step[]) => steps.map((s) => s.command);

/** `swrole agent claude` must exit 0; its stderr in the message otherwise. */
async function grant(home: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  const r = await swrole(home, ['agent', 'claude', ...args], options);
  assert.equal(r.code, 0, `swrole agent claude ${args.join(' ')}\n${r.stderr}`);
  return r;
}

/** `swrole serve PROFILE` as the user runs it in a terminal of their own: its endpoint, token and request log. */
async function serveOutside(
  home: string,
  profile: string,
  env: Record<string, string>,
): Promise<{ uri: string; token: string; stop(): void; requests(): string[]; log(): string }> {
  const child = spawn(process.execPath, [DIST, 'serve', profile, '--debug'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const deadline = Date.now() + 60_000;
  while (!/AWS_CONTAINER_AUTHORIZATION_TOKEN=/.test(stdout)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`swrole serve ${profile} (HOME=${home}) did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const value = (name: string) => new RegExp(`${name}='?([^'\\n]+)'?`).exec(stdout)![1]!;
  return {
    uri: value('AWS_CONTAINER_CREDENTIALS_FULL_URI'),
    token: value('AWS_CONTAINER_AUTHORIZATION_TOKEN'),
    stop: () => child.kill('SIGTERM'),
    // swrole serve --debug logs each request it answers or refuses.
    requests: () => stderr.split('\n').filter((l) => /server: \S+ → \d{3}/.test(l)),
    log: () => stderr,
  };
}

/** How the suite reaches Claude Code: the real binary or the mimic. */
export interface AgentHarness {
  kind: 'real' | 'mimic';
  run(options: RunClaudeOptions): Promise<ClaudeRun>;
  statusLine(options: {
    cwd: string;
    home: string;
    env?: Record<string, string>;
    waitFor: RegExp;
    timeoutMs?: number;
  }): Promise<StatusLineRun>;
}

export function describeIssue9(title: string, harness: AgentHarness, options: { skip: string | false; precondition?: () => void }): void {
  let emu: EmulatorHandle;
  let root: string;
  const mark = () => emu.calls().length;
  const callsSince = (start: number): CallRecord[] => emu.calls().slice(start);
  const okAssumes = (start: number, roleArn: string) =>
    callsSince(start).filter((c) => c.action === 'AssumeRole' && c.code === 'OK' && c.params.RoleArn === roleArn);

  describe(title, { skip: options.skip }, () => {
    before(() => options.precondition?.());
    useEmulatorSandbox(
      (fixture) =>
        ({
          emu,
          box: { dir: root },
        } = fixture),
      { world: agentWorld() },
    );

    describe('MFA roles (one `swrole login` by the user)', () => {
      let home: string;
      before(async () => {
        home = createUserHome(root, 'mfa-user', emu.url);
        const login = await swrole(home, ['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
        assert.equal(login.code, 0, login.stderr);
      });

      it('baseline (works today): roles that allow tagging — the same 20 agent commands get the read-only, tagged session', async () => {
        const p = createProject(root, 'baseline');
        // From before the grant: `swrole agent claude` issues the session once (its test issuance), every
        // process of the agent is then a cache hit.
        const start = mark();
        await grant(home, ['a', '--read-only', '--dir', p]);
        const steps = harness.kind === 'real' ? twentySteps('a') : whoSteps();
        const run = await harness.run({ cwd: p, home, commands: commandsOf(steps), timeoutMs: 300_000 });
        assertSteps(run, steps, ROLE_A_ARN);
        const assumes = okAssumes(start, ROLE_A_ARN);
        assert.equal(assumes.length, 1, 'one AssumeRole for the grant and every process of the session');
        assert.ok(assumes.every(scoped), 'read-only session policy');
        assert.equal(assumes[0]!.params['Tags.member.1.Value'], 'claude');
      });

      it('roles that trust only sts:AssumeRole (no TagSession/SetSourceIdentity): 20 agent commands through the aws CLI, boto3 and the Node SDK succeed with the scoped session', async () => {
        const p = createProject(root, 'plain-trust');
        const start = mark();
        await grant(home, ['plain', '--read-only', '--dir', p]);
        const steps = harness.kind === 'real' ? twentySteps('plain') : whoSteps();
        const run = await harness.run({ cwd: p, home, commands: commandsOf(steps), timeoutMs: 300_000 });
        assertSteps(run, steps, ROLE_PLAIN_ARN);
        const assumes = okAssumes(start, ROLE_PLAIN_ARN);
        assert.ok(assumes.length >= 1, 'the role was assumed');
        assert.ok(assumes.every(scoped), 'every session carries the read-only policy');
      });
    });

    it('Claude Code launched with long-term keys and AWS_DEFAULT_PROFILE exported: the agent still gets the granted role', async () => {
      const home = createUserHome(root, 'shadowing', emu.url);
      const p = createProject(root, 'shadowing');
      // The state after awsume/aws-vault/granted in the user's shell: keys and a default profile exported.
      const shell = { AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY, AWS_DEFAULT_PROFILE: 'prod' };
      await grant(home, ['nomfa', '--read-only', '--dir', p], { env: shell });
      const steps = whoSteps();
      const run = await harness.run({ cwd: p, home, env: shell, commands: commandsOf(steps) });
      assertSteps(run, steps, ROLE_NO_MFA_ARN);
    });

    it('a project whose settings hold old keys (the jq workaround): after swrole agent claude, no old key reaches a command', async () => {
      const home = createUserHome(root, 'old-keys', emu.url);
      const p = createProject(root, 'old-keys');
      mkdirSync(join(p, '.claude'));
      writeFileSync(
        join(p, '.claude', 'settings.local.json'),
        `${JSON.stringify(
          {
            env: { AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION: 'us-east-1' },
            permissions: { allow: ['Bash(npm test)'] },
          },
          null,
          2,
        )}\n`,
      );
      const settingsFile = join(p, '.claude', 'settings.local.json');
      const original = readFileSync(settingsFile, 'utf8');
      const granted = await grant(home, ['nomfa', '--read-only', '--dir', p]);
      assert.match(
        granted.stderr,
        /replaced the keys that were in its "env" \(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\): they no longer reach the agent; --remove puts them back/,
        'said in the output',
      );
      const steps = whoSteps();
      const run = await harness.run({ cwd: p, home, commands: [...commandsOf(steps), 'env'] });
      assertSteps({ ...run, results: run.results.slice(0, steps.length) }, steps, ROLE_NO_MFA_ARN);
      for (const r of run.results) {
        assert.ok(!r.output.includes(USER_ACCESS_KEY_ID), `old key id reached: $ ${r.command}\n${r.output}`);
        assert.ok(!r.output.includes(USER_SECRET_ACCESS_KEY), `old secret reached: $ ${r.command}`);
      }
      // Recorded, so --remove gives the user's file back byte for byte.
      const removed = await swrole(home, ['agent', 'claude', '--remove', '--dir', p]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal(readFileSync(settingsFile, 'utf8'), original);
    });

    describe('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1: granted role, never an unscoped session', () => {
      /**
       * Grant as a user would under scrub: swrole either switches to a mode that survives it, or refuses and says
       * to use env-file mode — then the user does what the hint says.
       */
      async function grantUnderScrub(home: string, p: string, env: Record<string, string>): Promise<void> {
        const first = await swrole(home, ['agent', 'claude', 'nomfa', '--read-only', '--dir', p], { env });
        if (first.code === 0) return;
        assert.match(first.stderr, /env-file/, `refused without saying what works:\n${first.stderr}`);
        await grant(home, ['nomfa', '--read-only', '--mode', 'env-file', '--install', '--dir', p], { env });
      }

      async function judge(home: string, p: string, launch: Record<string, string>, start: number): Promise<void> {
        const steps = whoSteps();
        const run = await harness.run({ cwd: p, home, env: launch, commands: commandsOf(steps) });
        assertSteps(run, steps, ROLE_NO_MFA_ARN);
        const sessions = callsSince(start).filter(
          (c) => ['AssumeRole', 'GetFederationToken', 'GetSessionToken'].includes(c.action) && c.code === 'OK',
        );
        assert.ok(sessions.length >= 1);
        for (const c of sessions) assert.ok(scoped(c), `an unscoped ${c.action} (${c.params.RoleSessionName ?? ''}) by ${c.callerArn}`);
      }

      it('scrub in the environment Claude Code is launched from', async () => {
        const home = createUserHome(root, 'scrub-env', emu.url);
        const p = createProject(root, 'scrub-env');
        const env = { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' };
        const start = mark();
        await grantUnderScrub(home, p, env);
        await judge(home, p, env, start);
      });

      it('control (works today): env-file mode, chosen by the user, survives scrub', async () => {
        const home = createUserHome(root, 'scrub-env-file', emu.url);
        const p = createProject(root, 'scrub-env-file');
        const env = { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' };
        const start = mark();
        await grant(home, ['nomfa', '--read-only', '--mode', 'env-file', '--install', '--dir', p], { env });
        await judge(home, p, env, start);
      });

      it('scrub in ~/.claude/settings.json env', async () => {
        const home = createUserHome(root, 'scrub-settings', emu.url);
        const p = createProject(root, 'scrub-settings');
        mkdirSync(join(home, '.claude'), { recursive: true });
        writeFileSync(
          join(home, '.claude', 'settings.json'),
          `${JSON.stringify({ env: { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' } }, null, 2)}\n`,
        );
        const start = mark();
        await grantUnderScrub(home, p, {});
        await judge(home, p, {}, start);
      });
    });

    describe('launched from a subdirectory: credentials, statusLine and env-file mode all work', () => {
      // The user grants from one folder of the repository (`sub`) and starts Claude Code in another (`other/deep`).
      let home: string;
      before(() => {
        home = createUserHome(root, 'subdir', emu.url);
      });

      it('credentials (view mode): from another subdirectory and from the root', async () => {
        const p = createProject(root, 'subdir-view', 'sub', 'other/deep');
        await grant(home, ['nomfa', '--read-only'], { cwd: join(p, 'sub') });
        for (const cwd of [join(p, 'other', 'deep'), p]) {
          const steps = whoSteps().slice(0, 3);
          const run = await harness.run({ cwd, home, commands: commandsOf(steps) });
          assertSteps(run, steps, ROLE_NO_MFA_ARN);
        }
      });

      it('control (works today): statusLine in the TUI started at the root, where the grant was made', async () => {
        const p = createProject(root, 'root-status');
        await grant(home, ['nomfa', '--read-only', '--statusline'], { cwd: p });
        const warm = await harness.run({ cwd: p, home, commands: [WHO.awsCli()] });
        assertSteps(warm, [{ command: WHO.awsCli(), expect: 'arn' }], ROLE_NO_MFA_ARN);
        const status = await harness.statusLine({
          cwd: p,
          home,
          waitFor: /aws: nomfa ro · RoleNoMfa@111111111111 · \d+m left/,
          timeoutMs: 30_000,
        });
        assert.ok(status.matched, `statusLine not showing the role:\n${status.screen}`);
        assert.deepEqual(status.offLoopback, []);
        assert.deepEqual(status.unexpected, []);
      });

      it('statusLine: the TUI started in a subdirectory shows the granted role', async () => {
        const p = createProject(root, 'subdir-status', 'sub', 'other/deep');
        await grant(home, ['nomfa', '--read-only', '--statusline'], { cwd: join(p, 'sub') });
        const cwd = join(p, 'other', 'deep');
        // The first AWS call fills the cache the statusLine reads.
        const warm = await harness.run({ cwd, home, commands: [WHO.awsCli()] });
        assertSteps(warm, [{ command: WHO.awsCli(), expect: 'arn' }], ROLE_NO_MFA_ARN);
        const status = await harness.statusLine({ cwd, home, waitFor: /aws: nomfa\b.*RoleNoMfa@111111111111/, timeoutMs: 30_000 });
        assert.ok(status.matched, `statusLine not showing the role:\n${status.screen}`);
        assert.deepEqual(status.offLoopback, []);
      });

      it('env-file mode: the SessionStart hook finds the grant from a subdirectory', async () => {
        const p = createProject(root, 'subdir-env-file', 'sub', 'other/deep');
        await grant(home, ['nomfa', '--read-only', '--mode', 'env-file', '--install'], { cwd: join(p, 'sub') });
        const steps = whoSteps().slice(0, 3);
        const run = await harness.run({ cwd: join(p, 'other', 'deep'), home, commands: commandsOf(steps) });
        assertSteps(run, steps, ROLE_NO_MFA_ARN);
      });
    });

    describe('Bedrock', () => {
      /** A Bedrock user: Claude Code's own model calls go to Bedrock as profile `bedrock` (user settings env). */
      function bedrockUser(name: string, extra: Record<string, unknown> = {}): { home: string; p: string; userSettings: string } {
        const home = createUserHome(root, name, emu.url);
        const p = createProject(root, name);
        const userSettings = join(home, '.claude', 'settings.json');
        mkdirSync(join(home, '.claude'), { recursive: true });
        const env = { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'bedrock' };
        writeFileSync(userSettings, `${JSON.stringify({ env, ...extra }, null, 2)}\n`);
        return { home, p, userSettings };
      }

      /**
       * Bash has the agent role; the user settings' awsCredentialExport gives (run again: a cache hit) the RoleBedrock
       * session with a token, which the agent does not hold; and (real binary) every Bedrock request was signed by it.
       */
      async function judgeBedrock(home: string, p: string, userSettings: string): Promise<void> {
        const steps = whoSteps();
        const run = await harness.run({ cwd: p, home, commands: commandsOf(steps), provider: 'bedrock' });
        assertSteps(run, steps, ROLE_NO_MFA_ARN);
        const settings = JSON.parse(readFileSync(userSettings, 'utf8')) as { awsCredentialExport?: string };
        assert.ok(settings.awsCredentialExport, 'awsCredentialExport in the user settings');
        const exported = await runDetached('bash', ['-c', settings.awsCredentialExport!], {
          PATH: process.env.PATH ?? '',
          HOME: home,
          AWS_PROFILE: 'bedrock',
        });
        assert.equal(exported.code, 0, exported.stderr);
        const parsed = JSON.parse(exported.stdout) as {
          AccessKeyId?: string;
          SecretAccessKey?: string;
          SessionToken?: string;
          Credentials?: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
        };
        const creds = parsed.Credentials ?? {
          AccessKeyId: parsed.AccessKeyId ?? '',
          SecretAccessKey: parsed.SecretAccessKey ?? '',
          SessionToken: parsed.SessionToken ?? '',
        };
        assert.ok(creds.SessionToken, 'Claude Code accepts awsCredentialExport output only with a SessionToken');
        // The mimic has no Bedrock client: only the real binary shows which key Claude Code's own model calls used.
        if (harness.kind === 'real') {
          const signers = [...new Set(run.bedrock.filter((c) => c.path.startsWith('/model/')).map((c) => c.accessKeyId))];
          assert.ok(signers.length >= 1, 'Claude Code used Bedrock');
          assert.deepEqual(signers, [creds.AccessKeyId], 'every Bedrock request signed with the Bedrock profile');
        }
        const who = await runDetached(
          'aws',
          ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text', '--endpoint-url', emu.url],
          {
            PATH: process.env.PATH ?? '',
            HOME: home,
            AWS_ACCESS_KEY_ID: creds.AccessKeyId,
            AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
            AWS_SESSION_TOKEN: creds.SessionToken,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
        );
        assert.equal(who.code, 0, who.stderr);
        assert.match(who.stdout.trim(), /^arn:aws:sts::222222222222:assumed-role\/RoleBedrock\//, ROLE_BEDROCK_ARN);
        const agentKeys = run.results.filter((_, i) => steps[i]!.expect === 'key').map((r) => r.output.trim().split(' ')[0]);
        assert.ok(!agentKeys.includes(creds.AccessKeyId), 'the agent does not hold the Bedrock key');
      }

      it("Bedrock set in ~/.claude/settings.json: without --bedrock-profile swrole refuses; with it, the mock Bedrock sees the Bedrock profile's key and Bash sees the agent role", async () => {
        const { home, p, userSettings } = bedrockUser('bedrock');
        const refused = await swrole(home, ['agent', 'claude', 'nomfa', '--read-only', '--dir', p]);
        assert.notEqual(refused.code, 0, `a Bedrock user's view was written without --bedrock-profile:\n${refused.stderr}`);
        assert.match(refused.stderr, /--bedrock-profile/);
        assert.ok(!existsSync(join(p, '.claude', 'settings.local.json')), 'nothing written when refusing');
        await grant(home, ['nomfa', '--read-only', '--bedrock-profile', 'bedrock', '--dir', p]);
        await judgeBedrock(home, p, userSettings);
      });

      it("control (works today): the user's own awsCredentialExport (swrole process) keeps Bedrock on its profile while Bash gets the view", async () => {
        const { home, p, userSettings } = bedrockUser('bedrock-own');
        const aws = join(home, '.aws');
        const settings = JSON.parse(readFileSync(userSettings, 'utf8')) as Record<string, unknown>;
        settings.awsCredentialExport = `${process.execPath} ${DIST} process bedrock --source-config ${join(aws, 'config')} --source-credentials ${join(aws, 'credentials')}`;
        writeFileSync(userSettings, `${JSON.stringify(settings, null, 2)}\n`);
        await grant(home, ['nomfa', '--read-only', '--dir', p]);
        await judgeBedrock(home, p, userSettings);
      });
    });

    it('a static-key profile granted with --read-only: no AKIA key ever reaches a command; STS saw the policy', async () => {
      const home = createUserHome(root, 'static-key', emu.url);
      const p = createProject(root, 'static-key');
      const start = mark();
      await grant(home, ['base', '--read-only', '--dir', p]);
      const commands = [
        WHO.awsCli(),
        WHO.boto3Key(),
        WHO.nodeKey(),
        'aws configure list',
        'env | grep "^AWS_" | sort',
        'cat "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE"',
      ];
      const run = await harness.run({ cwd: p, home, commands });
      assertCompleteAndOffline(run, commands.length);
      for (const r of run.results) assert.doesNotMatch(r.output, LONG_TERM_KEY, `a long-term key reached: $ ${r.command}\n${r.output}`);
      assert.equal(run.results[0]!.isError, false, transcript(run));
      assert.match(run.results[1]!.output.trim(), /^ASIA[A-Z0-9]{16} with-token$/, transcript(run));
      assert.match(run.results[2]!.output.trim(), /^ASIA[A-Z0-9]{16} with-token$/, transcript(run));
      const issued = callsSince(start).filter((c) => c.code === 'OK' && c.callerArn === USER_ARN && c.action !== 'GetCallerIdentity');
      assert.ok(issued.length >= 1, 'STS issued a temporary session from the static keys');
      assert.ok(issued.every(scoped), `STS saw the policy: ${JSON.stringify(issued.map((c) => [c.action, c.params]))}`);
    });

    describe('IAM Identity Center (issue 11): the user signed in once, the agent is served from the token cache', () => {
      const OIDC = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'Authorize'];
      const oidcSince = (start: number) => callsSince(start).filter((c) => OIDC.includes(c.action));
      let home: string;
      let signIn: IssuedSignIn;
      before(async () => {
        home = createUserHome(root, 'sso-user', emu.url, { sso: true });
        // What `swrole login sso-dev` (or `aws sso login`) leaves: the sign-in's token in ~/.aws/sso/cache.
        signIn = await issueSignIn(emu.url);
        writeTokenFile(home, signIn);
      });

      it('a role chained on an SSO profile granted --read-only: the agent gets the scoped role, silently refreshed, never a sign-in', async () => {
        const p = createProject(root, 'sso-app');
        const start = mark();
        await grant(home, ['sso-app', '--read-only', '--dir', p]);
        assert.deepEqual(oidcSince(start), [], 'the grant used the sign-in as it was');
        // Later: the token is inside its last 15 minutes and swrole's cached sessions are gone (expired).
        writeTokenFile(home, signIn, { expiresInMs: 10 * 60_000 });
        rmSync(join(home, '.cache', 'swrole', 'sessions'), { recursive: true, force: true });
        rmSync(join(home, '.cache', 'swrole', 'memo'), { recursive: true, force: true });
        const agentStart = mark();
        const steps = whoSteps();
        const run = await harness.run({ cwd: p, home, commands: commandsOf(steps) });
        assertSteps(run, steps, APP_ROLE_ARN);
        const oidc = oidcSince(agentStart);
        assert.deepEqual(
          oidc.map((c) => `${c.action}:${String(c.params.grantType)}:${c.code}`),
          ['CreateToken:refresh_token:OK'],
          'one silent refresh, no RegisterClient, no device authorization',
        );
        const portal = callsSince(agentStart).filter((c) => c.action === 'GetRoleCredentials');
        assert.equal(portal.length, 1, 'one GetRoleCredentials for every process of the agent');
        const assumes = okAssumes(agentStart, APP_ROLE_ARN);
        assert.ok(assumes.length >= 1 && assumes.every(scoped), 'the App role, read-only');
        assert.match(
          assumes[0]!.callerArn ?? '',
          /assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/,
          'signed with the SSO role session',
        );
      });

      it('the SSO profile itself granted; after the user signs out, the agent gets `swrole login sso-dev` and no sign-in is started', async () => {
        const p = createProject(root, 'sso-dev');
        await grant(home, ['sso-dev', '--dir', p]);
        const steps = whoSteps().slice(0, 3);
        const run = await harness.run({ cwd: p, home, commands: commandsOf(steps) });
        assertCompleteAndOffline(run, steps.length);
        for (const r of run.results)
          assert.match(
            r.output.trim(),
            /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/,
            transcript(run),
          );

        const out = await swrole(home, ['logout', 'sso-dev']);
        assert.equal(out.code, 0, out.stderr);
        const start = mark();
        const after = await harness.run({ cwd: p, home, commands: [WHO.awsCli()] });
        assert.equal(after.results.length, 1, transcript(after));
        assert.match(after.results[0]!.output, /swrole login sso-dev/, transcript(after));
        assert.doesNotMatch(after.results[0]!.output, /AWSReservedSSO/);
        assert.deepEqual(oidcSince(start), [], 'no RegisterClient, no device authorization, no browser from the agent');
      });
    });

    describe('behind an HTTP CONNECT proxy', () => {
      let tls: TlsServer;
      let dir: string;
      const HOST = 'sts.swrole-proxy.test';
      /** The user's shell behind a corporate proxy: the proxy and its CA for every AWS tool (and for Node). */
      const proxyShell = (url: string) => ({
        HTTPS_PROXY: url,
        https_proxy: url,
        HTTP_PROXY: url,
        http_proxy: url,
        AWS_CA_BUNDLE: join(dir, 'ca.pem'),
        NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      });
      before(async () => {
        // A CA and a certificate for a name only the test's proxy resolves; TLS ends in front of the emulator.
        dir = join(root, 'proxy-tls');
        mkdirSync(dir, { recursive: true });
        const openssl = (...args: string[]) => {
          const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
          assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
        };
        openssl(
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          'ca.key',
          '-out',
          'ca.pem',
          '-days',
          '2',
          '-subj',
          '/CN=swrole test CA',
        );
        openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'sts.key', '-out', 'sts.csr', '-subj', `/CN=${HOST}`);
        writeFileSync(
          join(dir, 'ext.cnf'),
          `subjectAltName=DNS:${HOST}\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
        );
        openssl(
          'x509',
          '-req',
          '-in',
          'sts.csr',
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          'sts.pem',
          '-days',
          '2',
          '-extfile',
          'ext.cnf',
        );
        const emuPort = Number(new URL(emu.url).port);
        tls = createTlsServer({ key: readFileSync(join(dir, 'sts.key')), cert: readFileSync(join(dir, 'sts.pem')) }, (socket) => {
          const upstream = connect(emuPort, '127.0.0.1');
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
          socket.pipe(upstream).pipe(socket);
        });
        await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      });
      after(() => {
        tls?.close();
      });

      it('no direct route to the emulator: cache misses succeed', async () => {
        const proxy = await startEgressProxy({ [`${HOST}:443`]: { host: '127.0.0.1', port: (tls.address() as AddressInfo).port } });
        try {
          const home = createUserHome(root, 'proxy', `https://${HOST}`);
          assert.match(
            readFileSync(join(home, '.aws', 'config'), 'utf8'),
            new RegExp(`endpoint_url = https://${HOST.replace(/\./g, '\\.')}`),
          );
          const p = createProject(root, 'proxy');
          const shell = proxyShell(proxy.url);
          // The proxy and its CA work: the aws CLI with the user's own keys reaches STS through them.
          const direct = await runDetached(
            'aws',
            ['sts', 'get-caller-identity', '--profile', 'base', '--query', 'Arn', '--output', 'text'],
            {
              PATH: process.env.PATH ?? '',
              HOME: home,
              AWS_EC2_METADATA_DISABLED: 'true',
              ...shell,
            },
          );
          assert.equal(direct.code, 0, `the aws CLI through the proxy: ${direct.stderr}`);
          assert.equal(direct.stdout.trim(), USER_ARN);
          await grant(home, ['nomfa', 'bedrock', '--read-only', '--dir', p], { env: shell });
          // The grant's test issuance warmed the cache (through the proxy too); empty it so the agent misses.
          const logout = await swrole(home, ['logout', '--all']);
          assert.equal(logout.code, 0, logout.stderr);
          const start = mark();
          // Two granted profiles, each a cache miss on first use; then the Node SDK's chain and boto3 (hits).
          const commands = [WHO.awsCli(), WHO.awsCli(' --profile bedrock'), WHO.nodeKey(), WHO.boto3Key()];
          const run = await harness.run({ cwd: p, home, env: shell, proxy: proxy.url, commands });
          assert.equal(run.exitCode, 0, transcript(run));
          assert.equal(run.results.length, commands.length, transcript(run));
          assert.match(run.results[0]!.output.trim(), agentArn(ROLE_NO_MFA_ARN), transcript(run));
          assert.match(run.results[1]!.output.trim(), agentArn(ROLE_BEDROCK_ARN), transcript(run));
          assert.match(run.results[2]!.output.trim(), /^ASIA[A-Z0-9]{16} with-token$/, transcript(run));
          assert.match(run.results[3]!.output.trim(), /^ASIA[A-Z0-9]{16} with-token$/, transcript(run));
          assert.equal(
            okAssumes(start, ROLE_NO_MFA_ARN).length + okAssumes(start, ROLE_BEDROCK_ARN).length,
            2,
            'two cache misses, through the proxy',
          );
          assert.ok(proxy.log().filter((l) => l.routed).length >= 2, 'STS was reached through the proxy');
          assert.deepEqual(proxy.refused(), [], 'nothing else tried to leave loopback');
        } finally {
          await proxy.close();
        }
      });

      // Issue 14: --contain. Claude Code's sandbox gives the Bash tool its own network namespace, so the emulator is
      // reached as AWS is, by name through the sandbox's proxy (and the user's proxy after it), never on loopback.
      it(
        '--contain --read-only, a role that trusts only sts:AssumeRole: the aws CLI, boto3 and the Node SDK (with the proxy agent Node 20 needs) get the scoped session; every escape gets nothing more',
        {
          skip:
            harness.kind === 'mimic'
              ? "the mimic has no sandbox (bubblewrap, network namespace, Claude Code's proxy): real binary only"
              : false,
        },
        async () => {
          const proxy = await startEgressProxy({ [`${HOST}:443`]: { host: '127.0.0.1', port: (tls.address() as AddressInfo).port } });
          try {
            const home = createUserHome(root, 'contain', `https://${HOST}`);
            const p = createProject(root, 'contain');
            const shell = proxyShell(proxy.url);
            // A TOTP step of its own: the emulator takes each code once (the MFA suite logged in with the current one).
            emu.advance(90);
            const login = await swrole(home, ['login', 'plain', '--mfa-code', totp(MFA_SECRET, emu.now())], { env: shell });
            assert.equal(login.code, 0, login.stderr);
            const settingsFile = join(p, '.claude', 'settings.local.json');
            // The user's own loopback credential server (issue 8) for a profile never granted, running outside: the
            // agent must not reach it with a missing, a guessed, or even the right token.
            const served = await serveOutside(home, 'nomfa', { PATH: process.env.PATH ?? '', HOME: home, USER: 'tester', ...shell });
            const start = mark();
            const granted = await grant(home, ['plain', '--read-only', '--contain', '--dir', p], { env: shell });
            assert.match(granted.stderr, /sandbox/);
            const settingsBytes = readFileSync(settingsFile, 'utf8');
            // The grant wrote the scoped session for the first command; gone, the hooks (outside the sandbox) must write it.
            const viewDir = (JSON.parse(settingsBytes) as { sandbox: { filesystem: { allowRead: string[] } } }).sandbox.filesystem
              .allowRead[0]!;
            rmSync(join(viewDir, 'session-0.json'));
            const sandbox = (JSON.parse(settingsBytes) as { sandbox: { network: { allowedDomains: string[] } } }).sandbox;
            assert.ok(sandbox.network.allowedDomains.includes(HOST), 'the granted endpoint is allowed');
            const stateDir = join(home, '.local', 'state', 'swrole');
            const cacheDir = join(home, '.cache', 'swrole');
            // A file of swrole's cache (the MFA session is there).
            const cacheFile = readdirSync(cacheDir, { recursive: true })
              .map((f) => join(cacheDir, String(f)))
              .find((f) => statSync(f).isFile() && f.endsWith('.json'))!;
            assert.ok(cacheFile, 'the MFA session is cached');
            const steps: Array<{ command: string; expect: 'arn' | 'key' | 'nothing' | 'no-proxy' }> = [
              { command: WHO.awsCli(), expect: 'arn' },
              { command: WHO.boto3(), expect: 'arn' },
              // A limit, not an escape: Node 20's https (so the JS SDK v3's default handler) ignores HTTPS_PROXY, and the
              // sandbox reaches the network only through Claude Code's proxy: the call fails (docs/agents.md).
              { command: WHO.nodeSdk(), expect: 'no-proxy' },
              // Written as any Node 20 script behind a proxy must be, the Node SDK gets the scoped role.
              { command: WHO.nodeSdkViaProxy(), expect: 'arn' },
              { command: WHO.boto3Key(), expect: 'key' },
              { command: WHO.nodeKey(), expect: 'key' },
              // The escapes of issue 14, each on its own.
              { command: `AWS_CONFIG_FILE=$HOME/.aws/config ${WHO.awsCli(' --profile prod')}; echo rc=$?`, expect: 'nothing' },
              { command: `AWS_CONFIG_FILE=$HOME/.aws/config AWS_PROFILE=base ${WHO.awsCli()}; echo rc=$?`, expect: 'nothing' },
              {
                command: `unset AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_PROFILE AWS_DEFAULT_PROFILE; ${WHO.awsCli()}; ${WHO.boto3Key()}; echo rc=$?`,
                expect: 'nothing',
              },
              { command: 'cat ~/.aws/credentials ~/.aws/config; ls -la ~/.aws; echo rc=$?', expect: 'nothing' },
              {
                command: `ls -laR ${cacheDir} ${stateDir} 2>&1 | head -40; grep -rhoE "A[SK]IA[A-Z0-9]{16}" ${cacheDir} ${stateDir}/*.log ${stateDir}/claude-settings 2>&1 | sort -u; echo rc=$?`,
                expect: 'nothing',
              },
              { command: `node ${DIST} agent claude prod --dir "$PWD"; echo rc=$?`, expect: 'nothing' },
              {
                command: `env -u CLAUDECODE -u CLAUDE_CODE_ENTRYPOINT -u CLAUDE_CODE_CHILD_SESSION node ${DIST} agent claude prod --dir "$PWD"; echo rc=$?`,
                expect: 'nothing',
              },
              {
                command: `env -u CLAUDECODE node ${DIST} exec prod --source-config $HOME/.aws/config -- env | grep -E "^AWS_(ACCESS|SECRET)"; echo rc=$?`,
                expect: 'nothing',
              },
              {
                command: `echo '{"sandbox":{"enabled":false}}' > .claude/settings.local.json; mv .claude .claude-old; sed -i s/true/false/ .claude/settings.local.json; echo rc=$?`,
                expect: 'nothing',
              },
              { command: `curl -s -m 5 ${emu.url}/ ; echo curl-rc=$?`, expect: 'nothing' },
              {
                command:
                  `curl -s -m 5 ${served.uri}; echo curl-rc=$?; curl -s -m 5 -H "Authorization: guessed-token" ${served.uri}; echo curl-rc=$?; ` +
                  `curl -s -m 5 -H "Authorization: ${served.token}" ${served.uri}; echo curl-rc=$?; ` +
                  `curl -s -m 5 --noproxy "" -x "$HTTP_PROXY" -H "Authorization: ${served.token}" ${served.uri}; echo curl-rc=$?`,
                expect: 'nothing',
              },
              { command: `${UNSANDBOXED}cat ~/.aws/credentials; echo rc=$?`, expect: 'nothing' },
              // Claude Code's own tools run in its process, outside the sandbox: pre-approved here (the worst case),
              // the permissions.deny rules swrole writes must stop them.
              { command: `${READ_TOOL}${join(home, '.aws', 'credentials')}`, expect: 'nothing' },
              { command: `${READ_TOOL}${cacheFile}`, expect: 'nothing' },
              { command: `${READ_TOOL}${join(stateDir, 'audit.log')}`, expect: 'nothing' },
              { command: `${WRITE_TOOL}${settingsFile}`, expect: 'nothing' },
            ];
            const run = await harness.run({
              cwd: p,
              home,
              env: shell,
              proxy: proxy.url,
              commands: steps.map((s) => s.command),
              args: ['--allowedTools', 'Read', '--allowedTools', 'Write'],
              timeoutMs: 300_000,
            });
            assert.equal(run.exitCode, 0, transcript(run));
            assert.equal(run.results.length, steps.length, transcript(run));
            assert.deepEqual(run.unexpected, [], 'the model mock saw only requests it knows');
            served.stop();
            assert.deepEqual(served.requests(), [], `the user's credential server was never reached: ${served.log()}`);
            const calls = callsSince(start);
            // The MFA session's key ids: what signed every AssumeRole (swrole's, outside the sandbox).
            const mfaKeys = new Set(
              calls
                .filter((c) => c.action === 'AssumeRole')
                .map((c) => c.callerKeyId)
                .filter((k): k is string => !!k),
            );
            assert.ok(mfaKeys.size >= 1, 'the grant assumed the role with the MFA session');
            steps.forEach((step, i) => {
              const r = run.results[i]!;
              const where = `#${i} ${step.command}\n${transcript(run)}`;
              assert.doesNotMatch(r.output, LONG_TERM_KEY, where);
              for (const key of mfaKeys) assert.ok(!r.output.includes(key), `no MFA-session key id: ${where}`);
              if (step.expect === 'arn') assert.match(r.output.trim(), agentArn(ROLE_PLAIN_ARN), where);
              if (step.expect === 'key') assert.match(r.output.trim(), /^ASIA[A-Z0-9]{16} with-token$/, where);
              if (step.expect === 'nothing' || step.expect === 'no-proxy') {
                assert.doesNotMatch(r.output, /arn:aws:(sts|iam)::/, where);
                assert.doesNotMatch(r.output, /AccessKeyId|SecretAccessKey|aws_secret_access_key/i, where);
              }
              if (step.expect === 'no-proxy') assert.match(r.output, /EAI_AGAIN|ENOTFOUND|ECONNREFUSED/, where);
            });
            // The SDKs hold the one scoped session the hooks wrote (boto3 and the Node SDK's chain: the same key id).
            assert.equal(run.results[4]!.output.trim(), run.results[5]!.output.trim(), transcript(run));
            // STS saw only the scoped role: no other role, no session of the user's keys, no unscoped AssumeRole.
            assert.deepEqual(
              calls
                .filter((c) => c.code === 'OK')
                .map((c) => c.action)
                .filter((a) => a !== 'AssumeRole' && a !== 'GetCallerIdentity'),
              [],
              'no GetSessionToken or other issuance from inside',
            );
            const assumes = calls.filter((c) => c.action === 'AssumeRole' && c.code === 'OK');
            assert.ok(
              assumes.every((c) => c.params.RoleArn === ROLE_PLAIN_ARN && scoped(c)),
              JSON.stringify(assumes.map((c) => c.params)),
            );
            const callers = new Set(calls.filter((c) => c.action === 'GetCallerIdentity' && c.code === 'OK').map((c) => c.callerArn));
            assert.deepEqual(
              [...callers].filter((a) => a !== null && !agentArn(ROLE_PLAIN_ARN).test(a)),
              [],
              'every identity seen was the scoped role',
            );
            // The sandbox kept the settings as swrole wrote them; --remove gives back the project as it was.
            assert.equal(readFileSync(settingsFile, 'utf8'), settingsBytes);
            const removed = await swrole(home, ['agent', 'claude', '--remove', '--dir', p]);
            assert.equal(removed.code, 0, removed.stderr);
            assert.equal(existsSync(settingsFile), false, 'the file swrole created is gone');
          } finally {
            await proxy.close();
          }
        },
      );
    });
  });
}
