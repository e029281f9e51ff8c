// `swrole agent claude --guard --statusline` as Claude Code uses it: the hook and statusLine commands written into
// settings.local.json are run exactly as Claude Code runs them (`bash -c "<command>"`, JSON on stdin, no terminal).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, sampleWorld } from '../helpers/emulator-world.js';
import { DIST, ensureBuilt, runSwrole, writeUserAwsFiles, sampleConfigWithStsEndpoint } from '../helpers/swrole-run.js';
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
  hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: string; command: string }> }>>;
  statusLine?: { type: string; command: string };
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

before(async () => {
  ensureBuilt();
  emu = await startEmulator({ world: sampleWorld(), clock: () => Date.now() - 5 * 60_000 });
  dir = mkdtempSync(join(tmpdir(), 'swrole-hooks-e2e-'));
  home = join(dir, 'home');
  writeUserAwsFiles(home, sampleConfigWithStsEndpoint(dir, emu.url));
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], { ...baseEnv(), AWS_ENDPOINT_URL_STS: emu.url });
  assert.equal(login.code, 0, login.stderr);
});
after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('swrole agent claude --guard --statusline (e2e, as Claude Code runs the hooks)', () => {
  it("writes the hook and statusLine after the user's hooks; both work as Claude Code runs them; re-run is a no-op; --remove restores the bytes", async () => {
    const { p, file } = project('proj', 'hooks-4space.json');
    const original = readFileSync(file, 'utf8');
    const setup = await swrole(['agent', 'claude', 'a', '--guard', '--statusline', '--dir', p]);
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal(setup.stdout, '', 'nothing on stdout: the entries are written, not printed');
    const settings = readSettings(file);
    const userHooks = JSON.parse(original) as Settings;
    assert.equal(settings.hooks.PreToolUse!.length, 2);
    assert.deepEqual(settings.hooks.PreToolUse![0], userHooks.hooks.PreToolUse![0], "the user's hook stays first");
    assert.deepEqual(settings.hooks.SessionStart, userHooks.hooks.SessionStart);
    const guard = settings.hooks.PreToolUse![1]!;
    assert.equal(guard.matcher, 'Bash');
    assert.equal(guard.hooks[0]!.type, 'command');
    assert.equal(guard.hooks[0]!.command, `${process.execPath} ${DIST} agent guard --allow a`);
    assert.deepEqual(settings.statusLine, { type: 'command', command: `${process.execPath} ${DIST} agent statusline` });
    assert.ok(readFileSync(file, 'utf8').includes('\n                "matcher": "Bash",\n'), "written in the file's 4-space style");

    const hookEnv = { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_PROJECT_DIR: p, ...settings.env };
    const allowed = await bash(guard.hooks[0]!.command, hookEnv, preToolUse(p, 'aws sts get-caller-identity'));
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, '', "allowed: no decision printed, Claude Code's own rules apply");
    const denied = await bash(guard.hooks[0]!.command, hookEnv, preToolUse(p, 'aws --profile other s3 ls'));
    assert.equal(denied.code, 0, denied.stderr);
    const decision = JSON.parse(denied.stdout) as {
      hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string };
    };
    assert.equal(decision.hookSpecificOutput.hookEventName, 'PreToolUse');
    assert.equal(decision.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(decision.hookSpecificOutput.permissionDecisionReason, /other/);

    // The agent's first AWS call fills the cache; the statusLine then shows that session without calling AWS.
    const agentEnv = { ...hookEnv, ...clock(), CLAUDECODE: '1' };
    const first = await bash('aws sts get-caller-identity --query Arn --output text', agentEnv);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/`));
    const callsBefore = emu.calls().length;
    const statusInput = JSON.stringify({
      hook_event_name: 'Status',
      session_id: 'e2e-session',
      transcript_path: join(dir, 'transcript.jsonl'),
      cwd: join(p, 'src'),
      model: { id: 'claude-opus-4-1', display_name: 'Opus' },
      workspace: { current_dir: join(p, 'src'), project_dir: p },
      version: '2.1.0',
    });
    const status = await bash(
      settings.statusLine!.command,
      { PATH: process.env.PATH ?? '', HOME: home, ...clock(), ...settings.env },
      statusInput,
    );
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^aws: a · RoleA@${ACCOUNT_A} · (\\d+h )?\\d+m left\\n$`));
    const minutes = Number(/(\d+)m left/.exec(status.stdout)![1]) + 60 * Number(/(\d+)h/.exec(status.stdout)?.[1] ?? 0);
    assert.ok(minutes > 5 && minutes <= 60, `${minutes} min left`);
    assert.equal(emu.calls().length, callsBefore, 'the statusLine makes no AWS call');

    const bytes = readFileSync(file, 'utf8');
    const again = await swrole(['agent', 'claude', 'a', '--guard', '--statusline', '--dir', p]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(file, 'utf8'), bytes, 're-running with the same flags changes nothing');

    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /PreToolUse hook/);
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

  it('env-file --install writes the SessionStart hook; running it fills CLAUDE_ENV_FILE; --remove deletes the file swrole created', async () => {
    const { p, file } = project('proj-env-file');
    const r = await swrole(['agent', 'claude', 'a', '--mode', 'env-file', '--install', '--dir', p]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const hook = readSettings(file).hooks.SessionStart![0]!.hooks[0]!.command;
    assert.equal(hook, `${process.execPath} ${DIST} agent env-file-hook`);
    const envFile = join(dir, 'session.sh');
    const run = await bash(
      hook,
      { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_ENV_FILE: envFile, CLAUDE_PROJECT_DIR: p },
      JSON.stringify({ hook_event_name: 'SessionStart', source: 'startup', session_id: 's', cwd: p }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(envFile, 'utf8'), /^export AWS_PROFILE='?a'?$/m);
    const removed = await swrole(['agent', 'claude', '--remove', '--dir', p]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(statSync(file, { throwIfNoEntry: false }), undefined);
  });
});
