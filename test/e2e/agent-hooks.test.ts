// `swrole agent claude --guard --statusline` as Claude Code uses it: the hook and statusLine commands written into
// settings.local.json are run exactly as Claude Code runs them (`bash -c "<command>"`, JSON on stdin, no terminal).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET } from '../helpers/emulator-world.js';
import { DIST, runSwrole, writeUserAwsFiles, sampleConfigWithStsEndpoint } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/claude-settings');
let emu: EmulatorHandle;
let dir: string;
let home: string;

const clock = () => ({ SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
const baseEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...clock() });
const swrole = (args: string[]) => runSwrole(args, baseEnv());

/** Like Claude Code runs a hook or statusLine command: `bash -c`, own session (no terminal), JSON on stdin. */
const bash = (script: string, env: Record<string, string>, input = '', timeoutMs = 30_000) =>
  runDetached('bash', ['-c', script], env, input, timeoutMs);

function project(name: string, fixture?: string): { p: string; file: string } {
  const p = join(dir, name);
  mkdirSync(join(p, '.claude'), { recursive: true });
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: p }).status, 0);
  const file = join(p, '.claude', 'settings.local.json');
  if (fixture) copyFileSync(join(FIXTURES, fixture), file);
  return { p, file };
}

interface Settings {
  env: Record<string, string>;
  hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: string; command: string; timeout?: number }> }>>;
  statusLine?: { type: string; command: string; refreshInterval?: number };
}
const readSettings = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Settings;

const preToolUse = (p: string, command: string) =>
  JSON.stringify({
    session_id: 'e2e-session',
    transcript_path: join(dir, 'transcript.jsonl'),
    cwd: p,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_use_id: 'toolu_01',
    tool_input: { command, description: 'run a command', timeout: 120000 },
  });

useEmulatorSandbox(
  async (fixture) => {
    emu = fixture.emu;
    ({ dir, home } = fixture.box);
    writeUserAwsFiles(home, sampleConfigWithStsEndpoint(dir, emu.url));
    const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], {
      ...baseEnv(),
      AWS_ENDPOINT_URL_STS: emu.url,
    });
    assert.equal(login.code, 0, login.stderr);
  },
  { clock: () => Date.now() - 5 * 60_000 },
);

describe('swrole agent claude --guard --statusline (e2e, as Claude Code runs the hooks)', () => {
  it("writes the hooks (with timeouts) and statusLine (refreshed every minute) after the user's hooks; they work as Claude Code runs them, from the launch directory; re-run is a no-op; --remove restores the bytes", async () => {
    const { p, file } = project('proj', 'hooks-4space.json');
    const launchDir = join(p, 'src');
    mkdirSync(launchDir);
    const original = readFileSync(file, 'utf8');
    const setup = await swrole(['agent', 'claude', 'a', '--guard', '--statusline', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal(setup.stdout, '', 'nothing on stdout: the entries are written, not printed');
    const settings = readSettings(file);
    const userHooks = JSON.parse(original) as Settings;
    assert.equal(settings.hooks.PreToolUse!.length, 2);
    assert.deepEqual(settings.hooks.PreToolUse![0], userHooks.hooks.PreToolUse![0], "the user's hook stays first");
    const guard = settings.hooks.PreToolUse![1]!;
    assert.deepEqual(guard, {
      matcher: 'Bash',
      hooks: [{ type: 'command', command: `${process.execPath} ${DIST} agent guard --allow a,a@agent`, timeout: 10 }],
    });
    assert.equal(settings.hooks.SessionStart!.length, 2);
    assert.deepEqual(settings.hooks.SessionStart![0], userHooks.hooks.SessionStart![0], "the user's SessionStart hook stays first");
    const sessionHook = settings.hooks.SessionStart![1]!;
    assert.deepEqual(sessionHook, { hooks: [{ type: 'command', command: `${process.execPath} ${DIST} agent session-hook`, timeout: 10 }] });
    assert.equal(settings.hooks.FileChanged, undefined, 'view mode: Claude Code reloads "env" by itself');
    assert.deepEqual(settings.statusLine, {
      type: 'command',
      command: `${process.execPath} ${DIST} agent statusline`,
      refreshInterval: 60,
    });
    assert.ok(readFileSync(file, 'utf8').includes('\n                "matcher": "Bash",\n'), "written in the file's 4-space style");

    // Claude Code gives hooks and the statusLine the directory it was started in (CLAUDE_PROJECT_DIR,
    // workspace.project_dir), not the git root where it reads settings.local.json (claude-code-observed.md §3).
    const hookEnv = { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_PROJECT_DIR: launchDir, ...settings.env };
    const allowed = await bash(guard.hooks[0]!.command, hookEnv, preToolUse(launchDir, 'aws sts get-caller-identity'));
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, '', "allowed: no decision printed, Claude Code's own rules apply");
    const denied = await bash(guard.hooks[0]!.command, hookEnv, preToolUse(launchDir, 'aws --profile other s3 ls'));
    assert.equal(denied.code, 0, denied.stderr);
    const decision = JSON.parse(denied.stdout) as {
      hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string };
    };
    assert.equal(decision.hookSpecificOutput.hookEventName, 'PreToolUse');
    assert.equal(decision.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(decision.hookSpecificOutput.permissionDecisionReason, /other/);

    const started = await bash(
      sessionHook.hooks[0]!.command,
      hookEnv,
      JSON.stringify({ session_id: 'e2e-session', hook_event_name: 'SessionStart', source: 'startup', cwd: launchDir }),
    );
    assert.equal(started.code, 0, started.stderr);
    const context = JSON.parse(started.stdout) as {
      hookSpecificOutput: { hookEventName: string; additionalContext: string; watchPaths?: unknown };
    };
    assert.equal(context.hookSpecificOutput.hookEventName, 'SessionStart');
    assert.match(context.hookSpecificOutput.additionalContext, /granted profile a \(AWS_PROFILE=a@agent\)/);
    assert.match(context.hookSpecificOutput.additionalContext, /ask the user to run `swrole login PROFILE` in their own terminal/);
    assert.equal(context.hookSpecificOutput.watchPaths, undefined, 'view mode watches nothing');

    // The grant's test issuance filled the cache; an agent's AWS call and the statusLine read it without calling AWS.
    const agentEnv = { ...hookEnv, ...clock(), CLAUDECODE: '1' };
    const issuing = () => emu.calls().filter((c) => c.action !== 'GetCallerIdentity').length;
    const callsBefore = issuing();
    const first = await bash('aws sts get-caller-identity --query Arn --output text', agentEnv);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/`));
    const statusInput = JSON.stringify({
      hook_event_name: 'Status',
      session_id: 'e2e-session',
      transcript_path: join(dir, 'transcript.jsonl'),
      cwd: launchDir,
      model: { id: 'claude-opus-4-1', display_name: 'Opus' },
      workspace: { current_dir: launchDir, project_dir: launchDir, added_dirs: [] },
      version: '2.1.332',
    });
    const beforeStatus = emu.calls().length;
    const status = await bash(
      settings.statusLine!.command,
      { PATH: process.env.PATH ?? '', HOME: home, ...clock(), ...settings.env },
      statusInput,
    );
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^aws: a · RoleA@${ACCOUNT_A} · (\\d+h )?\\d+m left · MFA (\\d+h )?\\d+m left\\n$`));
    const minutes = Number(/(\d+)m left/.exec(status.stdout)![1]) + 60 * Number(/^aws: a · \S+ · (\d+)h/.exec(status.stdout)?.[1] ?? 0);
    assert.ok(minutes > 5 && minutes <= 60, `${minutes} min left`);
    assert.equal(emu.calls().length, beforeStatus, 'the statusLine makes no AWS call');
    assert.equal(issuing(), callsBefore, 'no session issued: all cache hits');

    const bytes = readFileSync(file, 'utf8');
    const again = await swrole(['agent', 'claude', 'a', '--guard', '--statusline', '--dir', p]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(file, 'utf8'), bytes, 're-running with the same flags changes nothing');

    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /PreToolUse hook/);
    assert.match(removed.stderr, /SessionStart hook/);
    assert.equal(readFileSync(file, 'utf8'), original, 'the original bytes are back');
  });

  it("refuses to replace the user's own statusLine (exit 6) and leaves the file untouched", async () => {
    const { p, file } = project('proj-status', 'statusline-crlf.json');
    const original = readFileSync(file, 'utf8');
    const r = await swrole(['agent', 'claude', 'a', '--statusline', '--dir', p]);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /already has a statusLine of its own \(~\/\.claude\/statusline\.sh\)/);
    assert.match(r.stderr, /hint:/);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('env-file --install writes the SessionStart and FileChanged hooks; started in a subdirectory, the hook fills CLAUDE_ENV_FILE; --remove deletes the file swrole created', async () => {
    const { p, file } = project('proj-env-file');
    const launchDir = join(p, 'sub');
    mkdirSync(launchDir);
    const r = await swrole(['agent', 'claude', 'a', '--mode', 'env-file', '--install', '--dir', p]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const settings = readSettings(file);
    const hook = settings.hooks.SessionStart![0]!.hooks[0]!.command;
    assert.equal(hook, `${process.execPath} ${DIST} agent session-hook`);
    assert.equal(settings.hooks.FileChanged![0]!.hooks[0]!.command, hook);
    const envFile = join(dir, 'session.sh');
    const run = await bash(
      hook,
      { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_ENV_FILE: envFile, CLAUDE_PROJECT_DIR: launchDir },
      JSON.stringify({ hook_event_name: 'SessionStart', source: 'startup', session_id: 's', cwd: launchDir }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(envFile, 'utf8'), /^export AWS_PROFILE='?a@agent'?$/m);
    assert.match(readFileSync(envFile, 'utf8'), /^export AWS_SECRET_ACCESS_KEY=''$/m);
    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(statSync(file, { throwIfNoEntry: false }), undefined);
  });
  it("warns when another project's grant calls a node that is gone (a version-manager upgrade): its hooks would fail open", async () => {
    const old = project('proj-old-node');
    const fresh = project('proj-fresh-node');
    assert.equal((await swrole(['agent', 'claude', 'a', '--guard', '--dir', old.p])).code, 0);
    // The node that wrote the old grant, removed since (nvm uninstall after an upgrade).
    const gone = join(dir, '.nvm', 'versions', 'node', 'v18.20.0', 'bin', 'node');
    const viewConfig = readSettings(old.file).env.AWS_CONFIG_FILE!;
    writeFileSync(viewConfig, readFileSync(viewConfig, 'utf8').replaceAll(process.execPath, gone));
    // As that node wrote them: the settings and swrole's record of them.
    const records = join(home, '.local', 'state', 'swrole', 'claude-settings');
    for (const f of [old.file, ...readdirSync(records).map((name) => join(records, name))])
      writeFileSync(f, readFileSync(f, 'utf8').replaceAll(process.execPath, gone));

    const r = await swrole(['agent', 'claude', 'a', '--dir', fresh.p]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `warning: the agent grant of \\S*proj-old-node calls ${gone.replace(/[.]/g, '\\.')}, which no longer exists: .*fail open; run \`swrole agent claude\` there again`,
      ),
    );
    // Re-granting the old project rewrites it with this node: no warning about itself.
    const again = await swrole(['agent', 'claude', 'a', '--guard', '--dir', old.p]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /no longer exists/);
    assert.ok(readFileSync(viewConfig, 'utf8').includes(process.execPath));
    assert.ok(!readFileSync(old.file, 'utf8').includes(gone), 'the hooks call this node again');
    for (const p of [old.p, fresh.p]) assert.equal((await swrole(['agent', 'claude', '--remove', '--dir', p])).code, 0);
  });
});
