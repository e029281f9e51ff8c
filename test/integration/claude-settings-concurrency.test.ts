import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEnvToSettings } from '../../src/agent/claude/claude-settings-apply.js';
import { createClaudeSettingsEditor } from '../../src/agent/claude/edit-claude-settings.js';
import { bundleHelper } from '../helpers/bundle-helper.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/claude-settings/env-existing-tabs.json');
const ORIGINAL = readFileSync(FIXTURE, 'utf8');
const USER = process.platform === 'win32' ? undefined : { uid: process.geteuid!(), gid: process.getegid!() };

let root = '';
/** test/helpers/claude-settings-driver.ts, bundled: a real separate process running the real editor. */
let driver = '';
const children = new Set<ChildProcess>();

function startDriver(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [driver, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** The driver's first line: it has loaded the editor (bounded: a driver that never starts fails the test). */
const ready = (child: ChildProcess): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('driver did not start within 30 s')), 30_000);
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
  });

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code)),
  );

/** swrole's own --remove, run by the real editor in this process. */
async function removeInThisProcess(p: { dir: string; state: string }): Promise<void> {
  const editor = createClaudeSettingsEditor({
    now: Date.now,
    warn: () => undefined,
    stateDir: p.state,
    platform: process.platform,
    user: USER,
    pid: process.pid,
    command: 'test',
  });
  await editor.edit(p.dir, { kind: 'remove' });
}

function project(name: string): { dir: string; state: string; file: string } {
  const dir = join(root, name);
  mkdirSync(join(dir, '.claude'), { recursive: true });
  copyFileSync(FIXTURE, join(dir, '.claude', 'settings.local.json'));
  return { dir, state: join(root, `${name}-state`), file: join(dir, '.claude', 'settings.local.json') };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'swrole-claude-race-'));
  driver = await bundleHelper(join(import.meta.dirname, '../helpers/claude-settings-driver.ts'), root);
});
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

test("8 processes applying at once serialise: the file ends as exactly one apply left it, the user's keys intact; one remove restores the original bytes", async () => {
  const p = project('race');
  const racers = Array.from({ length: 8 }, (_, i) => startDriver([p.dir, p.state, 'one', `SWROLE_RACE_${i}`, `v${i}`]));
  let stderr = '';
  for (const r of racers) r.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await Promise.all(racers.map(ready)); // every child loaded and at the barrier
  writeFileSync(join(p.dir, 'go'), '');
  const codes = await Promise.all(racers.map(exited));
  assert.deepEqual(codes, Array(8).fill(0), stderr);
  const env = (JSON.parse(readFileSync(p.file, 'utf8')) as { env: Record<string, string> }).env;
  // An apply describes all of swrole's part (it takes back what an earlier apply set and this one does not), so
  // serialised applies leave the last one's key alone; a lost lock would leave several, or a record that no
  // longer matches the file (then the remove below could not give the original bytes back).
  const raced = Object.keys(env).filter((k) => k.startsWith('SWROLE_RACE_'));
  assert.equal(raced.length, 1, JSON.stringify(env));
  assert.equal(env[raced[0]!], `v${raced[0]!.slice('SWROLE_RACE_'.length)}`);
  assert.equal(env.AWS_REGION, 'eu-west-1');
  await removeInThisProcess(p);
  assert.equal(readFileSync(p.file, 'utf8'), ORIGINAL);
});

test('SIGKILL mid-edit, many times: the file always parses and is either the old or the new version', async (t) => {
  const p = project('kill');
  const applied = applyEnvToSettings(ORIGINAL, { AWS_PROFILE: 'agent' }, 'swrole').text;
  const seen = { old: 0, new: 0 };
  const KILLS = 12;
  for (let k = 0; k < KILLS; k++) {
    const child = startDriver([p.dir, p.state, 'loop']);
    await ready(child);
    // A killed holder's lock is taken over at once (its PID is gone): kill at random points of the loop.
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
    child.kill('SIGKILL');
    await exited(child);
    assert.ok(existsSync(p.file), `run ${k}: file missing`);
    const text = readFileSync(p.file, 'utf8');
    JSON.parse(text);
    assert.ok(text === ORIGINAL || text === applied, `run ${k}: neither version:\n${text}`);
    seen[text === ORIGINAL ? 'old' : 'new']++;
  }
  // Whatever state the kills left (record written, file not yet; temp files), one remove restores the original.
  await removeInThisProcess(p);
  assert.equal(readFileSync(p.file, 'utf8'), ORIGINAL);
  // Temp files of the settings go at once under the lock; those of the lock itself (a record being linked into
  // place, milliseconds in a live editor's hands) only once stale (STALE_TEMP_MS): a kill just now may leave one.
  const left = readdirSync(join(p.dir, '.claude')).filter((name) => !name.startsWith('.settings.local.json.lock.swrole-'));
  assert.deepEqual(left, ['settings.local.json'], 'temp files of killed writers cleaned up');
  assert.equal(seen.old + seen.new, KILLS);
  t.diagnostic(`after ${KILLS} kills: ${seen.old} × old version, ${seen.new} × new version`);
});
