// Issue 15 (high): shared or pre-created state dirs are trusted. Every directory swrole reads or writes is created
// 0700 or verified (the user's, no group/other write, no symlink to someone else's) and refused otherwise, on the
// full path and the fast path; files in them are never opened through a planted symlink. Another user is played by
// uid 65534 (`chown`, so these run as root, as CI does; skipped otherwise).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { createSandbox, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { projectKey } from '../../src/platform/project-key.js';

const ROOT = process.getuid?.() === 0;
const OTHER = 65534;

let emu: EmulatorHandle;
const boxes: Sandbox[] = [];

function sandbox(): Sandbox {
  const box = createSandbox(emu.url);
  boxes.push(box);
  // Not memoised while "just edited": age the user's files as they would be.
  const past = new Date(Date.now() - 60_000);
  for (const file of [box.configFile, box.credentialsFile]) utimesSync(file, past, past);
  return box;
}

const swrole = (box: Sandbox, args: string[], extra: Record<string, string> = {}) => runSwrole(args, { ...box.env, ...extra });

function assertRefused(result: { code: number | null; stderr: string }, dir: string, problem: RegExp, hint: RegExp): void {
  assert.equal(result.code, 5, result.stderr);
  assert.ok(result.stderr.includes(`refusing to use ${dir}: `), result.stderr);
  assert.match(result.stderr, problem);
  assert.match(result.stderr, hint);
  assert.match(result.stderr, /code: E_STATE_DIR_UNSAFE/);
}

useEmulatorSandbox((fixture) => ({ emu } = fixture));
after(() => {
  for (const box of boxes) box.cleanup();
});

describe('state dir trust (issue 15)', () => {
  it('a pre-created 0777 state dir is refused: exit 5, chmod hint, nothing written into it', async () => {
    const box = sandbox();
    mkdirSync(box.stateDir);
    chmodSync(box.stateDir, 0o777);
    const result = await swrole(box, ['process', 'nomfa', '--debug']);
    assertRefused(result, box.stateDir, /writable by other users \(mode 0777\)/, /chmod 700 '.*state'/);
    assert.equal(result.stdout, '');
    assert.deepEqual(readdirSync(box.stateDir), []);
  });

  it('a state dir owned by another user is refused, as is a symlink to one', { skip: !ROOT && 'needs root for chown' }, async () => {
    const box = sandbox();
    mkdirSync(box.stateDir, { mode: 0o700 });
    chownSync(box.stateDir, OTHER, OTHER);
    assertRefused(await swrole(box, ['process', 'nomfa', '--debug']), box.stateDir, /owned by uid 65534, not by you/, /rm -rf/);
    assert.deepEqual(readdirSync(box.stateDir), []);

    const linked = sandbox();
    symlinkSync(box.stateDir, linked.stateDir);
    assertRefused(
      await swrole(linked, ['process', 'nomfa', '--debug']),
      linked.stateDir,
      /a symlink to a directory owned by uid 65534/,
      /SWROLE_HOME/,
    );
  });

  it('a symlinked state dir pointing at a directory of the user is used', async () => {
    const box = sandbox();
    const real = join(box.dir, 'real-state');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, box.stateDir);
    const result = await swrole(box, ['process', 'nomfa']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(real, 'sessions')) && existsSync(join(real, 'audit.log')));
  });

  it('memo/ and sessions/ writable by others are refused, on the fast path too', async () => {
    const box = sandbox();
    for (let i = 0; i < 2; i++) assert.equal((await swrole(box, ['process', 'nomfa'])).code, 0);
    assert.equal(readdirSync(join(box.stateDir, 'memo')).length, 1, 'memoised: the next call takes the fast path');
    for (const sub of ['memo', 'sessions']) {
      chmodSync(join(box.stateDir, sub), 0o777);
      const result = await swrole(box, ['process', 'nomfa', '--debug']);
      assertRefused(result, join(box.stateDir, sub), /writable by other users/, /chmod 700/);
      assert.equal(result.stdout, '', `${sub}: no credentials handed out`);
      chmodSync(join(box.stateDir, sub), 0o700);
    }
    const memo = join(box.stateDir, 'memo');
    chmodSync(memo, 0o770);
    assertRefused(await swrole(box, ['process', 'nomfa', '--debug']), memo, /writable by its group \(mode 0770\)/, /chmod 700/);
  });

  it('a dir of the user readable by others is tightened to 0700, with one warning', async () => {
    const box = sandbox();
    mkdirSync(join(box.stateDir, 'memo'), { recursive: true });
    chmodSync(box.stateDir, 0o755);
    chmodSync(join(box.stateDir, 'memo'), 0o755);
    const result = await swrole(box, ['process', 'nomfa']);
    assert.equal(result.code, 0, result.stderr);
    for (const dir of [box.stateDir, join(box.stateDir, 'memo')]) {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.ok(result.stderr.includes(`${dir} was readable by other users; its mode is now 0700`), result.stderr);
    }
  });

  it('a parent writable by others is refused unless sticky (like /tmp); its owner does not matter', async () => {
    const box = sandbox();
    const shared = join(box.dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const home = join(shared, 'swrole');
    assertRefused(
      await swrole(box, ['process', 'nomfa', '--debug'], { SWROLE_HOME: home }),
      home,
      /its parent .*shared is writable by other users and not sticky \(mode 0777\)/,
      /chmod go-w/,
    );
    assert.ok(!existsSync(home));
    chmodSync(shared, 0o1777);
    const sticky = await swrole(box, ['process', 'nomfa'], { SWROLE_HOME: home });
    assert.equal(sticky.code, 0, sticky.stderr);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    // A parent's owner is not held against it (user-namespace sandboxes show / and /home as uid 65534), its mode is.
    if (ROOT) {
      chmodSync(shared, 0o755);
      chownSync(shared, OTHER, OTHER);
      const foreignParent = await swrole(box, ['process', 'nomfa'], { SWROLE_HOME: home });
      assert.equal(foreignParent.code, 0, foreignParent.stderr);
    }
  });

  it("agents/ writable by others, or agents/<project> swapped for another user's dir: agent claude refuses and writes nothing there", async () => {
    const box = sandbox();
    const project = join(box.dir, 'project');
    mkdirSync(project);
    const agents = join(box.stateDir, 'agents');
    mkdirSync(agents, { recursive: true, mode: 0o700 });
    chmodSync(box.stateDir, 0o700);
    chmodSync(agents, 0o777);
    assertRefused(
      await swrole(box, ['agent', 'claude', 'nomfa', '--dir', project, '--debug']),
      agents,
      /writable by other users/,
      /chmod 700/,
    );
    assert.ok(!existsSync(join(project, '.claude', 'settings.local.json')), 'no settings point at an untrusted view');
    chmodSync(agents, 0o700);

    // The attack of the issue: another user's directory in place of the project's view dir.
    const theirs = join(box.dir, 'theirs');
    mkdirSync(theirs);
    chmodSync(theirs, 0o777);
    if (ROOT) chownSync(theirs, OTHER, OTHER);
    const view = join(agents, projectKey(project));
    symlinkSync(theirs, view);
    const result = await swrole(box, ['agent', 'claude', 'nomfa', '--dir', project, '--debug']);
    assertRefused(result, view, ROOT ? /a symlink to a directory owned by uid 65534/ : /writable by other users/, /rm -rf/);
    assert.deepEqual(readdirSync(theirs), [], 'nothing written through the link');
    assert.ok(!existsSync(join(project, '.claude', 'settings.local.json')));
    // Readers refuse it too (the statusline says so on its line, the SessionStart hook on stderr).
    const status = await swrole(box, ['agent', 'statusline'], { CLAUDE_PROJECT_DIR: project });
    assert.match(status.stdout, /^aws: refusing to use /);
    const hook = await swrole(box, ['agent', 'env-file-hook'], { CLAUDE_PROJECT_DIR: project });
    assert.equal(hook.stdout, '');
    assert.match(hook.stderr, /refusing to use/);
  });

  it('a planted audit.log symlink is not followed: the credentials are issued, the target is untouched', async () => {
    const box = sandbox();
    mkdirSync(box.stateDir, { mode: 0o700 });
    const victim = join(box.dir, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(box.stateDir, 'audit.log'));
    for (let i = 0; i < 3; i++) {
      const result = await swrole(box, ['process', 'nomfa']);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(join(box.stateDir, 'audit.log')).isSymbolicLink());
  });

  it('a planted memo symlink is not followed', async () => {
    const box = sandbox();
    for (let i = 0; i < 2; i++) assert.equal((await swrole(box, ['process', 'nomfa'])).code, 0);
    const memoDir = join(box.stateDir, 'memo');
    const [name] = readdirSync(memoDir);
    const real = join(box.dir, 'memo-copy');
    writeFileSync(real, readFileSync(join(memoDir, name!)));
    const memo = join(memoDir, name!);
    // The memo replaced by a link to an identical one: it is not read through the link, so the full path answers.
    symlinkSync(real, `${memo}.link`);
    renameSync(`${memo}.link`, memo);
    const result = await swrole(box, ['process', 'nomfa']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(lstatSync(memo).isFile(), 'the full path answered and wrote a memo of its own in place of the link');
  });
});
