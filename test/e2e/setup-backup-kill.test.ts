// Issue 15 (found by the kill -9 campaign, `npm run chaos`): `swrole setup` keeps the previous config as
// <config>.swrole-backup. The backup was written with copyFileSync, which truncates the old backup first: a kill
// during the copy left it empty or cut off. A kill at any moment must leave the old backup or the new one, whole.
// To hit the copy every time, the config is large (a 32 MiB comment line) and swrole is killed the moment a file
// named after the backup appears or changes (inotify through fs.watch).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DIST, ensureBuilt, runSwrole, sampleConfig, writeUserAwsFiles } from '../helpers/swrole-run.js';

let dir: string;
let home: string;
const env = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home });

before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'swrole-backup-kill-'));
  home = join(dir, 'home');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `swrole ARGS` and SIGKILLs it at the first filesystem event on a name containing `trigger`. */
function killAtFirstEvent(args: string[], watchDir: string, trigger: string): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST, ...args], { env: env(), stdio: 'ignore', detached: true });
    let killed = false;
    const watcher = watch(watchDir, (_event, name) => {
      if (killed || !name?.includes(trigger)) return;
      killed = child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      watcher.close();
      resolve({ killed: killed && signal === 'SIGKILL' });
    });
  });
}

describe('setup killed while it writes the backup (e2e)', () => {
  it('leaves the previous backup or the new one, never a torn one', async () => {
    const original = `# ${'x'.repeat(32 << 20)}\n${sampleConfig(dir)}`;
    const configFile = writeUserAwsFiles(home, original);
    const backupFile = `${configFile}.swrole-backup`;
    const first = await runSwrole(['setup', 'ro'], env(), { timeoutMs: 120_000 });
    assert.equal(first.code, 0, first.stderr);
    const withRo = readFileSync(configFile, 'utf8');
    assert.equal(readFileSync(backupFile, 'utf8').length, original.length, 'the first backup holds the original');

    let kills = 0;
    for (let attempt = 0; attempt < 5 && kills < 3; attempt++) {
      writeFileSync(configFile, withRo);
      writeFileSync(backupFile, original);
      const { killed } = await killAtFirstEvent(['setup', 'a'], dirname(configFile), 'swrole-backup');
      if (!killed) continue;
      kills++;
      const backup = readFileSync(backupFile, 'utf8');
      assert.ok(
        backup === original || backup === withRo,
        `the backup is torn: ${backup.length} bytes, expected ${original.length} (the old one) or ${withRo.length} (the new one)`,
      );
      const config = readFileSync(configFile, 'utf8');
      assert.ok(config === withRo || config.startsWith(withRo), 'the config itself is whole');
    }
    assert.ok(kills > 0, 'swrole was never killed while writing the backup');
  });
});
