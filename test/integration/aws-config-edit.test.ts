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

const OWNER = { pid: process.pid, command: 'test holder', now: Date.now, platform: process.platform };
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swrole-config-edit-'));
  config = join(dir, 'config');
  writeFileSync(config, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('another swrole editing the file: E_FILE_LOCKED (exit 5) naming the file and the lock to remove; nothing changed', async () => {
  const held = await acquireFileLock({
    path: `${config}.swrole.lock`,
    owner: OWNER,
    doing: `editing ${config}`,
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
        { backupPath: `${config}.swrole-backup`, platform: process.platform, owner: OWNER, lockWaitMs: 200 },
      ),
      {
        code: 'E_FILE_LOCKED',
        exit: 5,
        message: new RegExp(`^${escape(config)} has been locked for \\d+ s by pid ${process.pid} \\(test holder`),
        hint: `if that process is stuck, stop it and retry`,
      },
    );
  } finally {
    held?.release();
  }
  assert.equal(transformed, false);
  assert.equal(readFileSync(config, 'utf8'), ORIGINAL);
  assert.equal(existsSync(`${config}.swrole-backup`), false);
});

test('a config path that is a directory: E_FILE_READ (exit 6) naming it; nothing written', async () => {
  const target = join(dir, 'config.d');
  mkdirSync(target);
  await assert.rejects(
    editFileSafely(target, append, { backupPath: `${target}.swrole-backup`, platform: process.platform, owner: OWNER }),
    {
      code: 'E_FILE_READ',
      exit: 6,
      message: new RegExp(`^cannot read ${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: EISDIR`),
      hint: 'check the file exists and is readable',
    },
  );
  assert.equal(existsSync(`${target}.swrole-backup`), false);
});
