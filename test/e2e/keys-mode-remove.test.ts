// Issue 15 (low): `agent claude --mode keys` puts role keys into the project's settings; swrole's undo record and
// its backup of the settings file (the previous bytes, which hold the previous keys after a second run) live in the
// state dir. `--remove` must take all of that away: the record, the backup, and the temp files a killed writer
// left beside them (they hold whole records or backups, keys included). Outside the session cache, no key of
// swrole's may remain on disk after --remove.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { projectKey } from '../../src/platform/project-key.js';

let box: Sandbox;

useEmulatorSandbox((fixture) => ({ box } = fixture));

const swrole = async (args: string[]) => {
  const result = await runSwrole(args, box.env);
  assert.equal(result.code, 0, result.stderr);
  return result;
};

/** Every file below `dir` but the session cache (which holds keys by design), with its text. */
function filesOutsideSessions(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (relative(box.stateDir, path) === 'sessions') continue;
    if (statSync(path).isDirectory()) out.push(...filesOutsideSessions(path));
    else out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

describe('agent claude --mode keys, then --remove (issue 15)', () => {
  it('the record, the backup and killed writers’ temp files go: no key is left outside the session cache', async () => {
    const project = join(box.dir, 'project');
    mkdirSync(join(project, '.claude'), { recursive: true });
    const settings = join(project, '.claude', 'settings.local.json');
    const original = '{\n  "model": "opus"\n}\n';
    writeFileSync(settings, original);

    const secrets: string[] = [];
    const keysNow = () => {
      const env = (JSON.parse(readFileSync(settings, 'utf8')) as { env: Record<string, string> }).env;
      assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
      secrets.push(env.AWS_ACCESS_KEY_ID!, env.AWS_SECRET_ACCESS_KEY!, env.AWS_SESSION_TOKEN!);
    };
    await swrole(['agent', 'claude', 'nomfa', '--mode', 'keys', '--dir', project]);
    keysNow();
    const firstRun = readFileSync(settings, 'utf8');
    // Another grant: other keys, and the backup now holds the first run's file, keys included.
    await swrole(['agent', 'claude', 'nomfa', '--read-only', '--mode', 'keys', '--dir', project]);
    keysNow();
    const records = join(box.stateDir, 'claude-settings');
    const key = projectKey(project);
    assert.equal(readFileSync(join(records, `${key}.backup`), 'utf8'), firstRun, 'the backup holds the first run’s keys');

    // Writers killed mid-write (a second ago: younger than any staleness bound) left their temp files.
    writeFileSync(join(records, `.${key}.backup.swrole-k1lled01.tmp`), firstRun, { mode: 0o600 });
    writeFileSync(join(records, `.${key}.json.swrole-k1lled02.tmp`), readFileSync(join(records, `${key}.json`)), { mode: 0o600 });

    const removed = await swrole(['agent', 'claude', '--remove', '--dir', project]);
    assert.match(removed.stderr, /removed env\.AWS_ACCESS_KEY_ID/);
    assert.equal(readFileSync(settings, 'utf8'), original, 'the settings file is given back byte for byte');
    assert.ok(!existsSync(join(records, `${key}.backup`)), 'the backup went with --remove');
    assert.deepEqual(readdirSync(records), [], 'nothing of the project is left in claude-settings/');

    const files = filesOutsideSessions(box.stateDir);
    assert.ok(files.length > 0, 'the scan saw the state dir (audit log at least)');
    for (const { path, text } of files)
      for (const secret of secrets) assert.ok(!text.includes(secret), `${path} still holds a key of the keys mode`);
  });
});
