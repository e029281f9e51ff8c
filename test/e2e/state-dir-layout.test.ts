// Issue 15 (medium): state that must survive lives in the state dir, not the cache dir. Sessions and memos are a
// cache (`~/.cache/swrole`); undo records, backups, agent views and the audit log live in `~/.local/state/swrole`.
// What an earlier swrole left in the cache dir is adopted once, by any number of concurrent first callers, without
// losing a record; a relative SWROLE_HOME or XDG dir is refused.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { DIST, createSandbox, runSwrole, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
const cleanups: Array<() => void> = [];

interface World {
  box: Sandbox;
  home: string;
  cacheDir: string;
  stateDir: string;
  project: string;
  /** The sandbox env without SWROLE_HOME: swrole picks its own dirs under HOME. */
  env: Record<string, string>;
}

function world(extra: Record<string, string> = {}): World {
  const box = createSandbox(emu.url);
  cleanups.push(box.cleanup);
  const past = new Date(Date.now() - 60_000);
  for (const file of [box.configFile, box.credentialsFile]) utimesSync(file, past, past);
  const { SWROLE_HOME: _unused, ...env } = box.env;
  mkdirSync(box.home, { mode: 0o700 });
  const project = join(box.dir, 'project');
  mkdirSync(join(project, '.claude'), { recursive: true });
  writeFileSync(join(project, '.claude', 'settings.local.json'), '{\n  "env": { "AWS_PROFILE": "mine" }\n}\n');
  return {
    box,
    home: box.home,
    cacheDir: join(extra.XDG_CACHE_HOME ?? join(box.home, '.cache'), 'swrole'),
    stateDir: join(extra.XDG_STATE_HOME ?? join(box.home, '.local', 'state'), 'swrole'),
    project,
    env: { ...env, ...extra },
  };
}

const swrole = (w: World, args: string[], extra: Record<string, string> = {}) => runSwrole(args, { ...w.env, ...extra });
const settingsEnv = (w: World) =>
  (JSON.parse(readFileSync(join(w.project, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> }).env;
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function ok(promise: ReturnType<typeof runSwrole>): Promise<string> {
  const result = await promise;
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

useEmulatorSandbox((fixture) => ({ emu } = fixture));
after(() => {
  for (const cleanup of cleanups) cleanup();
});

describe('cache dir and state dir (issue 15)', () => {
  it('sessions and memos in ~/.cache/swrole; views, records and the audit log in ~/.local/state/swrole; rm -rf ~/.cache loses nothing that matters', async () => {
    const w = world();
    await ok(swrole(w, ['agent', 'claude', 'nomfa', '--dir', w.project]));
    assert.ok(settingsEnv(w).AWS_CONFIG_FILE!.startsWith(join(w.stateDir, 'agents') + '/'), settingsEnv(w).AWS_CONFIG_FILE);
    for (let i = 0; i < 2; i++) await ok(swrole(w, ['process', 'nomfa']));
    assert.deepEqual(readdirSync(w.cacheDir).sort(), ['memo', 'sessions']);
    assert.deepEqual(readdirSync(w.stateDir).sort(), ['agents', 'audit.log', 'claude-settings']);
    for (const dir of [w.cacheDir, w.stateDir, join(w.home, '.local'), join(w.home, '.local', 'state')])
      assert.equal(statSync(dir).mode & 0o777, 0o700, dir);
    // agent claude's test issuance of the grant, then the two calls.
    assert.equal(lines(join(w.stateDir, 'audit.log')).length, 3);

    rmSync(join(w.home, '.cache'), { recursive: true, force: true });
    const removed = await swrole(w, ['agent', 'claude', '--remove', '--dir', w.project]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /removed env\.AWS_CONFIG_FILE/);
    assert.deepEqual(settingsEnv(w), { AWS_PROFILE: 'mine' }, "the user's own AWS_PROFILE is back");
    assert.deepEqual(readdirSync(join(w.stateDir, 'agents')), [], 'the view is gone');
  });

  it("an earlier swrole's state in the cache dir is adopted: the undo record, every audit line; its view is used until replaced", async () => {
    const w = world();
    // The earlier layout is exactly this swrole with SWROLE_HOME = the cache dir: everything in one place.
    const legacy = { SWROLE_HOME: w.cacheDir };
    await ok(swrole(w, ['agent', 'claude', 'nomfa', '--dir', w.project], legacy));
    for (let i = 0; i < 3; i++) await ok(swrole(w, ['process', 'nomfa'], legacy));
    writeFileSync(join(w.cacheDir, 'audit.log.1'), '{"older":1}\n{"older":2}\n', { mode: 0o600 });
    const legacyAudit = lines(join(w.cacheDir, 'audit.log'));
    const legacyView = settingsEnv(w).AWS_CONFIG_FILE!;
    assert.ok(legacyView.startsWith(join(w.cacheDir, 'agents') + '/'));
    assert.ok(!existsSync(w.stateDir));

    // Before anything is rewritten, the SessionStart hook still finds the view the settings point at.
    // (In view mode it tells the model what the view grants; without a view it prints nothing.)
    const hook = await ok(swrole(w, ['agent', 'session-hook'], { CLAUDE_PROJECT_DIR: w.project }));
    assert.match(hook, /AWS_PROFILE=nomfa@agent/);

    await ok(swrole(w, ['process', 'nomfa']));
    assert.deepEqual(lines(join(w.stateDir, 'audit.log.1')), ['{"older":1}', '{"older":2}']);
    const audit = lines(join(w.stateDir, 'audit.log'));
    assert.deepEqual(audit.slice(0, legacyAudit.length), legacyAudit, 'the legacy lines first, whole');
    assert.equal(audit.length, legacyAudit.length + 1);
    assert.ok(!existsSync(join(w.cacheDir, 'audit.log')) && !existsSync(join(w.cacheDir, 'audit.log.1')));

    // Re-running moves the record over (keeping the user's previous AWS_PROFILE) and replaces the view.
    await ok(swrole(w, ['agent', 'claude', 'nomfa', '--dir', w.project]));
    assert.ok(settingsEnv(w).AWS_CONFIG_FILE!.startsWith(join(w.stateDir, 'agents') + '/'));
    assert.ok(!existsSync(legacyView), 'the legacy view is deleted once the settings point elsewhere');
    assert.deepEqual(readdirSync(join(w.cacheDir, 'claude-settings')), []);
    rmSync(join(w.home, '.cache'), { recursive: true, force: true });
    await ok(swrole(w, ['agent', 'claude', '--remove', '--dir', w.project]));
    assert.deepEqual(settingsEnv(w), { AWS_PROFILE: 'mine' });
  });

  it('a legacy record is adopted by --remove itself', async () => {
    const w = world();
    await ok(swrole(w, ['agent', 'claude', 'nomfa', '--dir', w.project], { SWROLE_HOME: w.cacheDir }));
    const removed = await swrole(w, ['agent', 'claude', '--remove', '--dir', w.project]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /deleted the agent view/);
    assert.deepEqual(settingsEnv(w), { AWS_PROFILE: 'mine' });
    assert.deepEqual(readdirSync(join(w.cacheDir, 'agents')), []);
  });

  for (const acrossFilesystems of [false, true]) {
    it(`8 concurrent first callers adopt the legacy audit log exactly once${acrossFilesystems ? ', across filesystems (tmpfs cache)' : ''}`, async (t) => {
      let extra: Record<string, string> = {};
      if (acrossFilesystems) {
        if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tmpdir()).dev) return t.skip('no tmpfs beside the temp dir');
        const shm = mkdtempSync('/dev/shm/swrole-cache-');
        cleanups.push(() => rmSync(shm, { recursive: true, force: true }));
        extra = { XDG_CACHE_HOME: shm };
      }
      const w = world(extra);
      mkdirSync(w.cacheDir, { recursive: true, mode: 0o700 });
      const older = Array.from({ length: 400 }, (_, i) => `{"older":${i}}`);
      const newer = Array.from({ length: 400 }, (_, i) => `{"legacy":${i}}`);
      writeFileSync(join(w.cacheDir, 'audit.log.1'), `${older.join('\n')}\n`, { mode: 0o600 });
      writeFileSync(join(w.cacheDir, 'audit.log'), `${newer.join('\n')}\n`, { mode: 0o600 });

      const runs = await Promise.all(Array.from({ length: 8 }, () => swrole(w, ['process', 'nomfa'])));
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      const all = [...lines(join(w.stateDir, 'audit.log.1')), ...lines(join(w.stateDir, 'audit.log'))];
      for (const line of [...older, ...newer]) assert.equal(all.filter((l) => l === line).length, 1, `${line} exactly once`);
      assert.equal(all.filter((l) => l.includes('"profile":"nomfa"')).length, 8, 'and the 8 new lines');
      assert.deepEqual(readdirSync(w.cacheDir).sort(), ['memo', 'sessions'], 'nothing of the audit log left in the cache dir');
    });
  }

  it('a relative SWROLE_HOME, XDG_CACHE_HOME or XDG_STATE_HOME is refused (exit 3), and nothing lands in the working directory', () => {
    const w = world();
    const cwd = mkdtempSync(join(tmpdir(), 'swrole-cwd-'));
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
    for (const [name, value] of [
      ['SWROLE_HOME', 'state'],
      ['XDG_CACHE_HOME', '.cache'],
      ['XDG_STATE_HOME', 'state'],
    ] as const) {
      for (const args of [
        ['process', 'nomfa'],
        ['agent', 'claude', 'nomfa', '--dir', w.project],
      ]) {
        const run = spawnSync(process.execPath, [DIST, ...args, '--debug'], { cwd, env: { ...w.env, [name]: value }, encoding: 'utf8' });
        assert.equal(run.status, 3, run.stderr);
        assert.ok(run.stderr.includes(`swrole: ${name} is a relative path ("${value}")`), run.stderr);
        assert.match(run.stderr, /hint: set .* to an absolute path/);
        assert.match(run.stderr, /code: E_STATE_DIR_RELATIVE/);
        assert.equal(run.stdout, '');
        assert.deepEqual(readdirSync(cwd), [], `${name}=${value} ${args[0]}: nothing written in the cwd`);
      }
    }
  });
});
