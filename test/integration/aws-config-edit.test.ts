// editFileSafely, the editor behind `swrole setup` (~/.aws/config): its refusals on real files.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editFileSafely } from '../../src/integrations/safe-file-edit.js';
import { acquireFileLock } from '../../src/platform/file-lock.js';
import { SwroleError } from '../../src/errors.js';

let dir = '';
let config = '';
const ORIGINAL = '[default]\nregion = eu-west-1\n';
const append = (text: string | undefined) => `${text ?? ''}\n[profile x.swrole]\nregion = eu-west-1\n`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swrole-config-edit-'));
  config = join(dir, 'config');
  writeFileSync(config, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('another swrole editing the file: E_FILE_LOCKED (exit 5) naming the file and the lock to remove; nothing changed', async () => {
  const release = await acquireFileLock({
    file: config,
    lockfilePath: `${config}.swrole.lock`,
    staleMs: 10_000,
    waitMs: 0,
    onCompromised: () => {},
    timeout: () => new SwroleError('E_INTERNAL', 'the test could not take the lock'),
  });
  let transformed = false;
  try {
    await assert.rejects(
      editFileSafely(
        config,
        (text) => {
          transformed = true;
          return append(text);
        },
        { backupPath: `${config}.swrole-backup`, platform: process.platform, lockWaitMs: 200 },
      ),
      {
        code: 'E_FILE_LOCKED',
        exit: 5,
        message: `${config} is being edited by another swrole process`,
        hint: `retry in a moment; if no swrole is running, remove ${config}.swrole.lock`,
      },
    );
  } finally {
    await release();
  }
  assert.equal(transformed, false);
  assert.equal(readFileSync(config, 'utf8'), ORIGINAL);
  assert.equal(existsSync(`${config}.swrole-backup`), false);
});

test('a config path that is a directory: E_FILE_READ (exit 6) naming it; nothing written', async () => {
  const target = join(dir, 'config.d');
  mkdirSync(target);
  await assert.rejects(editFileSafely(target, append, { backupPath: `${target}.swrole-backup`, platform: process.platform }), {
    code: 'E_FILE_READ',
    exit: 6,
    message: new RegExp(`^cannot read ${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: EISDIR`),
    hint: 'check the file exists and is readable',
  });
  assert.equal(existsSync(`${target}.swrole-backup`), false);
});
