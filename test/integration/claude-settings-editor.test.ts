import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClaudeSettingsEditor } from '../../src/agent/claude/edit-claude-settings.js';
import { createRunGit } from '../../src/integrations/git-ignore.js';
import { acquireFileLock } from '../../src/platform/file-lock.js';
import { SwroleError } from '../../src/errors.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '../fixtures/claude-settings/permissions-2space.json'), 'utf8');
const VARS = { AWS_CONFIG_FILE: '/state/agents/p/config', AWS_SHARED_CREDENTIALS_FILE: '/state/agents/p/empty', AWS_PROFILE: 'dev-ro' };
// A git that ignores the machine's global and system config (no global excludes that would hide our work).
const GIT_ENV = { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' };

let root = '';
let project = '';
let stateDir = '';
const warnings: string[] = [];

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd: project,
    env: GIT_ENV,
    encoding: 'utf8',
  });
}

const USER = process.platform === 'win32' ? undefined : { uid: process.geteuid!(), gid: process.getegid!() };

function editor(withGit = true) {
  return createClaudeSettingsEditor({
    now: () => Date.parse('2026-01-02T03:04:05Z'),
    warn: (m) => warnings.push(m),
    stateDir,
    platform: process.platform,
    user: USER,
    pid: process.pid,
    command: 'test',
    ...(withGit ? { runGit: createRunGit(GIT_ENV) } : {}),
  });
}

const settingsFile = (): string => join(project, '.claude', 'settings.local.json');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'swrole-claude-'));
  project = join(root, 'project');
  stateDir = join(root, 'state');
  mkdirSync(join(project, '.claude'), { recursive: true });
  warnings.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('apply in a git repo: merged, mode kept, excluded via .git/info/exclude, record+backup in the state dir; remove restores the bytes', async () => {
  git('init', '-q');
  writeFileSync(settingsFile(), FIXTURE);
  chmodSync(settingsFile(), 0o644);
  const result = await editor().edit(project, { kind: 'apply', vars: VARS });
  assert.equal(result.changed, true);
  assert.equal(result.git, 'excluded');
  const applied = JSON.parse(readFileSync(settingsFile(), 'utf8')) as { env: Record<string, string>; permissions: unknown };
  assert.deepEqual(applied.env, VARS);
  assert.deepEqual(applied.permissions, (JSON.parse(FIXTURE) as { permissions: unknown }).permissions);
  assert.equal(statSync(settingsFile()).mode & 0o777, 0o644);
  assert.match(readFileSync(join(project, '.git', 'info', 'exclude'), 'utf8'), /^\/\.claude\/settings\.local\.json$/m);
  assert.equal(git('status', '--porcelain', '--untracked-files=all'), '');
  assert.equal(readdirSync(project).join(','), '.claude,.git', 'nothing else lands in the project');
  assert.deepEqual(readdirSync(join(project, '.claude')), ['settings.local.json'], 'no lock or temp file left');

  const stateFiles = readdirSync(join(stateDir, 'claude-settings')).sort();
  assert.equal(stateFiles.length, 2);
  assert.equal(statSync(join(stateDir, 'claude-settings')).mode & 0o777, 0o700);
  for (const f of stateFiles) assert.equal(statSync(join(stateDir, 'claude-settings', f)).mode & 0o777, 0o600);
  assert.equal(readFileSync(result.backup!, 'utf8'), FIXTURE);

  // A second apply in another run (a new editor) knows what the first one owns.
  await editor().edit(project, { kind: 'apply', vars: { AWS_PROFILE: 'staging' } });
  assert.equal(readFileSync(join(project, '.git', 'info', 'exclude'), 'utf8').match(/settings\.local/g)?.length, 1, 'excluded once');
  const removed = await editor().edit(project, { kind: 'remove' });
  assert.equal(removed.changed, true);
  assert.equal(readFileSync(settingsFile(), 'utf8'), FIXTURE);
  assert.equal(statSync(settingsFile()).mode & 0o777, 0o644);
  assert.deepEqual(
    readdirSync(join(stateDir, 'claude-settings')).filter((f) => f.endsWith('.json')),
    [],
    'record dropped',
  );
  assert.deepEqual(warnings, []);
});

test('a file git tracks is refused (E_SETTINGS_TRACKED, exit 6) and left untouched', async () => {
  git('init', '-q');
  writeFileSync(settingsFile(), FIXTURE);
  git('add', '-f', '.claude/settings.local.json');
  git('commit', '-q', '-m', 'oops');
  await assert.rejects(editor().edit(project, { kind: 'apply', vars: VARS }), (e: unknown) => {
    assert.ok(e instanceof SwroleError);
    assert.equal(e.code, 'E_SETTINGS_TRACKED');
    assert.equal(e.exit, 6);
    assert.match(e.hint ?? '', /git rm --cached \.claude\/settings\.local\.json/);
    return true;
  });
  assert.equal(readFileSync(settingsFile(), 'utf8'), FIXTURE);
});

test('an already ignored file is not excluded twice', async () => {
  git('init', '-q');
  writeFileSync(join(project, '.gitignore'), '.claude/settings.local.json\n');
  const result = await editor().edit(project, { kind: 'apply', vars: VARS });
  assert.equal(result.git, 'already-ignored');
  assert.doesNotMatch(readFileSync(join(project, '.git', 'info', 'exclude'), 'utf8'), /settings\.local/);
});

test('an unparsable file is never overwritten: E_SETTINGS_INVALID with file:line:column', async () => {
  const broken = '{\n  "permissions": {\n    "allow": ["Bash(ls)",]\n  }\n}\n';
  writeFileSync(settingsFile(), broken);
  await assert.rejects(editor(false).edit(project, { kind: 'apply', vars: VARS }), (e: unknown) => {
    return e instanceof SwroleError && e.code === 'E_SETTINGS_INVALID' && e.message.startsWith(`${settingsFile()}:3:`);
  });
  assert.equal(readFileSync(settingsFile(), 'utf8'), broken);
  assert.ok(!existsSync(join(stateDir, 'claude-settings')) || readdirSync(join(stateDir, 'claude-settings')).length === 0);
});

test('outside git: a new file is created 0600 and removed again by remove', async () => {
  rmSync(join(project, '.claude'), { recursive: true });
  const result = await editor().edit(project, { kind: 'apply', vars: VARS });
  assert.equal(result.git, 'not-a-repo');
  assert.equal(statSync(settingsFile()).mode & 0o777, 0o600);
  assert.equal(result.backup, undefined);
  await editor().edit(project, { kind: 'remove' });
  assert.ok(!existsSync(settingsFile()));
});

test("a killed editor's lock temp files go once stale; a fresh one (a live editor's, for milliseconds) stays", async () => {
  const dir = join(project, '.claude');
  const stale = join(dir, '.settings.local.json.lock.swrole-deadbeef.tmp');
  const fresh = join(dir, '.settings.local.json.lock.swrole-livelive.tmp');
  writeFileSync(stale, '{"pid":1}');
  writeFileSync(fresh, '{"pid":1}');
  const old = new Date(Date.now() - 60_000);
  utimesSync(stale, old, old);
  await editor(false).edit(project, { kind: 'apply', vars: VARS });
  assert.ok(!existsSync(stale), 'the stale lock temp file was removed');
  assert.ok(existsSync(fresh), 'a fresh lock temp file is left to its writer');
});

test('remove leaves a value the user changed, with a warning', async () => {
  writeFileSync(settingsFile(), '{}\n');
  await editor(false).edit(project, { kind: 'apply', vars: { AWS_PROFILE: 'dev-ro', AWS_REGION: 'eu-west-1' } });
  writeFileSync(settingsFile(), readFileSync(settingsFile(), 'utf8').replace('eu-west-1', 'us-east-1'));
  const removed = await editor(false).edit(project, { kind: 'remove' });
  assert.deepEqual(removed.skipped, ['env.AWS_REGION']);
  assert.deepEqual(JSON.parse(readFileSync(settingsFile(), 'utf8')), { env: { AWS_REGION: 'us-east-1' } });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /env\.AWS_REGION/);
});

test('another editor holding the lock: E_SETTINGS_LOCKED (exit 5) naming the file and its lock; the file is untouched', async () => {
  writeFileSync(settingsFile(), FIXTURE);
  const held = await acquireFileLock({
    path: `${settingsFile()}.lock`,
    owner: { pid: process.pid, command: 'test holder', now: Date.now, platform: process.platform },
    doing: `editing ${settingsFile()}`,
    timeout: () => new SwroleError('E_INTERNAL', 'the test could not take the lock'),
  });
  try {
    const locked = createClaudeSettingsEditor({
      now: Date.now,
      warn: (m) => warnings.push(m),
      stateDir,
      platform: process.platform,
      user: USER,
      pid: process.pid,
      command: 'test editor',
      lockWaitMs: 200,
    });
    await assert.rejects(locked.edit(project, { kind: 'apply', vars: VARS }), {
      code: 'E_SETTINGS_LOCKED',
      exit: 5,
      message: new RegExp(`has been locked for \\d+ s by pid ${process.pid} \\(test holder`),
      hint: 'if that process is stuck, stop it and retry',
    });
  } finally {
    held?.release();
  }
  assert.equal(readFileSync(settingsFile(), 'utf8'), FIXTURE);
});

test('a git that cannot answer (a corrupt index): E_GIT_FAILED (exit 6) with git’s own words; nothing is written', async () => {
  git('init', '-q');
  writeFileSync(join(project, '.git', 'index'), 'not an index\n');
  writeFileSync(settingsFile(), FIXTURE);
  await assert.rejects(editor().edit(project, { kind: 'apply', vars: VARS }), (e: unknown) => {
    assert.ok(e instanceof SwroleError);
    assert.equal(e.code, 'E_GIT_FAILED');
    assert.equal(e.exit, 6);
    assert.ok(e.message.startsWith(`git check-ignore failed in ${project}: fatal: `), e.message);
    assert.match(e.message, /index/);
    assert.match(e.hint ?? '', /check that git works in this directory \(`git status`\)/);
    return true;
  });
  assert.equal(readFileSync(settingsFile(), 'utf8'), FIXTURE);
  assert.ok(!existsSync(join(stateDir, 'claude-settings')));
});
