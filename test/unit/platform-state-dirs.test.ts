// Spec sheet for where swrole keeps things: the credential cache and the state that must survive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveSwroleDirs, type SwroleDirs } from '../../src/platform/resolve-state-dir.js';
import { isSwroleError } from '../../src/errors.js';

type Env = Record<string, string | undefined>;
const posix = (cacheDir: string, stateDir: string): SwroleDirs => ({ cacheDir, stateDir, legacyStateDir: cacheDir });
const same = (dir: string): SwroleDirs => ({ cacheDir: dir, stateDir: dir, legacyStateDir: undefined });

const table: Array<[string, Env, NodeJS.Platform, SwroleDirs]> = [
  ['default (Linux)', {}, 'linux', posix('/home/u/.cache/swrole', '/home/u/.local/state/swrole')],
  ['default (macOS: the same XDG paths)', {}, 'darwin', posix('/home/u/.cache/swrole', '/home/u/.local/state/swrole')],
  ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/x' }, 'linux', posix('/x/swrole', '/home/u/.local/state/swrole')],
  ['XDG_STATE_HOME', { XDG_STATE_HOME: '/st' }, 'linux', posix('/home/u/.cache/swrole', '/st/swrole')],
  ['both XDG vars', { XDG_CACHE_HOME: '/c', XDG_STATE_HOME: '/s' }, 'linux', posix('/c/swrole', '/s/swrole')],
  ['XDG vars naming one dir: nothing to adopt', { XDG_CACHE_HOME: '/d', XDG_STATE_HOME: '/d' }, 'linux', same('/d/swrole')],
  ['SWROLE_HOME holds both', { SWROLE_HOME: '/s', XDG_CACHE_HOME: '/x', XDG_STATE_HOME: '/y' }, 'linux', same('/s')],
  ['empty SWROLE_HOME is unset', { SWROLE_HOME: '' }, 'darwin', posix('/home/u/.cache/swrole', '/home/u/.local/state/swrole')],
  [
    'empty XDG vars are unset',
    { XDG_CACHE_HOME: '', XDG_STATE_HOME: '' },
    'linux',
    posix('/home/u/.cache/swrole', '/home/u/.local/state/swrole'),
  ],
  [
    'win32 LOCALAPPDATA holds both',
    { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' },
    'win32',
    same('C:\\Users\\u\\AppData\\Local\\swrole'),
  ],
  ['win32 without LOCALAPPDATA', {}, 'win32', same('C:\\Users\\u\\AppData\\Local\\swrole')],
  ['win32 SWROLE_HOME', { SWROLE_HOME: 'D:\\swrole' }, 'win32', same('D:\\swrole')],
];
for (const [name, env, platform, expected] of table) {
  test(`resolveSwroleDirs: ${name}`, () => {
    const home = platform === 'win32' ? 'C:\\Users\\u' : '/home/u';
    assert.deepEqual(resolveSwroleDirs(env, home, platform), expected);
  });
}

const refused: Array<[string, Env, NodeJS.Platform, string, RegExp]> = [
  ['relative SWROLE_HOME', { SWROLE_HOME: 'state' }, 'linux', '/home/u', /SWROLE_HOME is a relative path \("state"\)/],
  ['SWROLE_HOME with an unexpanded ~', { SWROLE_HOME: '~/swrole' }, 'linux', '/home/u', /SWROLE_HOME is a relative path/],
  ['relative XDG_CACHE_HOME', { XDG_CACHE_HOME: '.cache' }, 'linux', '/home/u', /XDG_CACHE_HOME is a relative path/],
  ['relative XDG_STATE_HOME', { XDG_STATE_HOME: 'st' }, 'darwin', '/home/u', /XDG_STATE_HOME is a relative path/],
  ['relative LOCALAPPDATA', { LOCALAPPDATA: 'AppData' }, 'win32', 'C:\\Users\\u', /LOCALAPPDATA is a relative path/],
  ['a drive-relative SWROLE_HOME on Windows', { SWROLE_HOME: 'C:swrole' }, 'win32', 'C:\\Users\\u', /SWROLE_HOME is a relative path/],
  ['a relative home', {}, 'linux', 'home/u', /home directory "home\/u" is not an absolute path/],
];
for (const [name, env, platform, home, message] of refused) {
  test(`resolveSwroleDirs refuses ${name} (E_STATE_DIR_RELATIVE, exit 3)`, () => {
    assert.throws(
      () => resolveSwroleDirs(env, home, platform),
      (error: unknown) => isSwroleError(error) && error.code === 'E_STATE_DIR_RELATIVE' && error.exit === 3 && message.test(error.message),
    );
  });
}
