// Issue 13, "Sessions must survive mistakes": a failed `agent claude --mode keys` (no MFA session) had already
// removed the working settings of the previous mode. Any failed command changes nothing (obtain first, edit
// second), and a switch that does happen says what it removed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET } from '../helpers/emulator-world.js';
import { runSwrole, sampleConfigWithStsEndpoint, writeUserAwsFiles } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let dir: string;
let home: string;
let project: string;

const env = () => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
});
const swrole = (args: string[]) => runSwrole(args, env());
const settings = () => readFileSync(join(project, '.claude', 'settings.local.json'), 'utf8');

/** Every file of swrole's state (the agent view, its meta), with contents: what a failed command must not change. */
function state(): Record<string, string> {
  const root = join(home, '.cache', 'swrole');
  const out: Record<string, string> = {};
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true }))
    if (e.isFile() && !e.parentPath.includes('sessions') && !e.name.endsWith('.log') && !e.name.endsWith('.jsonl'))
      out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  return out;
}

useEmulatorSandbox(async (fixture) => {
  emu = fixture.emu;
  ({ dir, home } = fixture.box);
  writeUserAwsFiles(home, sampleConfigWithStsEndpoint(dir, emu.url));
  project = join(dir, 'proj');
  mkdirSync(project);
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: project }).status, 0);
  emu.advance(30);
  const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
  assert.equal(login.code, 0, login.stderr);
});

describe('a failed `agent claude --mode keys` changes nothing; a switch says what it removes', () => {
  it('view mode with the guard works; keys mode without an MFA session fails and leaves settings and view byte for byte', async () => {
    const view = await swrole(['agent', 'claude', 'a', '--guard', '--statusline', '--dir', project]);
    assert.equal(view.code, 0, view.stderr);
    const before = { settings: settings(), state: state() };
    assert.match(before.settings, /AWS_CONFIG_FILE/);
    assert.equal((await swrole(['logout', '--all'])).code, 0);
    const keys = await swrole(['agent', 'claude', 'a', '--mode', 'keys', '--dir', project]);
    assert.equal(keys.code, 4, keys.stderr);
    assert.match(keys.stderr, /an MFA code for \S+ is needed/);
    assert.doesNotMatch(keys.stderr, /switching/);
    assert.equal(settings(), before.settings, 'the view mode settings still work');
    assert.deepEqual(state(), before.state, 'the agent view and its meta are unchanged');
  });

  it('with a session, the switch to keys mode names what it removed (env, the guard hook, statusLine)', async () => {
    emu.advance(30);
    assert.equal((await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())])).code, 0);
    const keys = await swrole(['agent', 'claude', 'a', '--mode', 'keys', '--dir', project]);
    assert.equal(keys.code, 0, keys.stderr);
    assert.match(keys.stderr, /switching \S+ from view mode to keys: removed env\.AWS_CONFIG_FILE, .*a PreToolUse hook, statusLine\n/);
    assert.match(settings(), /"AWS_ACCESS_KEY_ID": "ASIA/);
    assert.doesNotMatch(settings(), /PreToolUse|statusLine/);
  });
});
