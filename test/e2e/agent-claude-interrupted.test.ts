// Issue 15 (found by the kill -9 campaign, `npm run chaos`): `agent claude` stores swrole's record of what it
// put into settings.local.json before it writes the settings. When the settings write never happened (a kill -9,
// or a failure in between), the record described values that were not in the file: `agent claude a`, then an
// interrupted `agent claude ro`, then `agent claude a` took swrole's own AWS_PROFILE=a for the user's value, and
// `--remove` left AWS_PROFILE=a behind: the user's own AWS_PROFILE was lost. The interruption is made
// deterministic here: the backup path (written between the record and the settings) is a directory, so the
// command fails right after storing its record, as a kill there would leave it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { projectKey } from '../../src/platform/project-key.js';

const USER_SETTINGS = `{
  "permissions": { "allow": ["Bash(git status)"] },
  "env": {
    "AWS_PROFILE": "my-own-profile",
    "NODE_OPTIONS": "--max-old-space-size=4096"
  }
}
`;

let box: Sandbox;
let project: string;

useEmulatorSandbox((fixture) => {
  ({ box } = fixture);
  project = join(box.dir, 'project');
  mkdirSync(join(project, '.claude'), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: project });
  writeFileSync(join(project, '.claude', 'settings.local.json'), USER_SETTINGS);
});

/** Every path under `root` named `name` (swrole's state dir is found, not assumed). */
function find(root: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (entry === name) out.push(path);
    if (lstatSync(path).isDirectory()) out.push(...find(path, name));
  }
  return out;
}

const agent = (...args: string[]) => runSwrole(['agent', 'claude', ...args, '--dir', project], box.env);

describe('agent claude interrupted between its record and the settings write (e2e)', () => {
  it('keeps the user’s own AWS_PROFILE: --remove gives back the original bytes', async () => {
    const settings = join(project, '.claude', 'settings.local.json');
    const first = await agent('a');
    assert.equal(first.code, 0, first.stderr);
    assert.match(readFileSync(settings, 'utf8'), /"AWS_PROFILE": "a@agent"/);

    const [backup] = find(box.dir, `${projectKey(project)}.backup`);
    assert.ok(backup, 'agent claude keeps a backup of the settings under its state dir');
    rmSync(backup);
    mkdirSync(join(backup, 'in-the-way'), { recursive: true });
    const interrupted = await agent('ro');
    assert.notEqual(interrupted.code, 0, 'the backup path is a directory: the command stops after storing its record');
    assert.match(interrupted.stderr, /backup/, 'it failed at the backup, past the grant check');
    assert.match(readFileSync(settings, 'utf8'), /"AWS_PROFILE": "a@agent"/, 'the settings were not written');
    rmSync(backup, { recursive: true });

    const again = await agent('a');
    assert.equal(again.code, 0, again.stderr);
    const removed = await agent('--remove');
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(readFileSync(settings, 'utf8'), USER_SETTINGS);
  });
});
