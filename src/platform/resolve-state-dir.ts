import { isAbsolute, join, win32 } from 'node:path';
import { SwroleError } from '../errors.js';

/**
 * swrole's two directories (ARCHITECTURE.md "State directory"):
 * - `cacheDir`: the credential cache (`sessions/`, `memo/`); losing it costs a login, nothing more.
 * - `stateDir`: what must survive (`agents/`, `claude-settings/`, `setup/`, `audit.log`): undo records, the
 *   user's own previous values, views that settings files point at, the issuance history.
 * `legacyStateDir` is where swrole < 0.2 kept the latter (the cache dir), when that differs: it is adopted from.
 */
export interface SwroleDirs {
  cacheDir: string;
  stateDir: string;
  legacyStateDir: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A set, non-empty variable; a relative one is refused (a relative dir would put credentials in the cwd, where git sees them). */
function absoluteVar(env: Env, name: string, platform: NodeJS.Platform): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!(platform === 'win32' ? win32.isAbsolute(value) : isAbsolute(value))) {
    throw new SwroleError('E_STATE_DIR_RELATIVE', `${name} is a relative path (${JSON.stringify(value)}): swrole keeps credentials there`, {
      hint: `set ${name} to an absolute path (e.g. ${name}="$HOME/…"), or unset it`,
    });
  }
  return value;
}

/**
 * `$SWROLE_HOME` holds both (as before); else, on Linux and macOS, the XDG base directories — cache
 * `$XDG_CACHE_HOME/swrole` (`~/.cache/swrole`), state `$XDG_STATE_HOME/swrole` (`~/.local/state/swrole`); on
 * Windows both are `%LOCALAPPDATA%\swrole`, which is not a cache anyone wipes. macOS uses the XDG paths too: swrole
 * already kept its cache in `~/.cache` there, and paths without spaces are safer to paste into shells and configs.
 * Throws E_STATE_DIR_RELATIVE for a relative SWROLE_HOME, XDG_*_HOME, LOCALAPPDATA or home directory.
 */
export function resolveSwroleDirs(env: Env, homedir: string, platform: NodeJS.Platform): SwroleDirs {
  const explicit = absoluteVar(env, 'SWROLE_HOME', platform);
  if (explicit !== undefined) return { cacheDir: explicit, stateDir: explicit, legacyStateDir: undefined };
  if (platform === 'win32') {
    const local = absoluteVar(env, 'LOCALAPPDATA', platform) ?? win32.join(absoluteHome(homedir, platform), 'AppData', 'Local');
    const dir = win32.join(local, 'swrole');
    return { cacheDir: dir, stateDir: dir, legacyStateDir: undefined };
  }
  const cacheHome = absoluteVar(env, 'XDG_CACHE_HOME', platform);
  const stateHome = absoluteVar(env, 'XDG_STATE_HOME', platform);
  const cacheDir = join(cacheHome ?? join(absoluteHome(homedir, platform), '.cache'), 'swrole');
  const stateDir = join(stateHome ?? join(absoluteHome(homedir, platform), '.local', 'state'), 'swrole');
  return { cacheDir, stateDir, legacyStateDir: cacheDir === stateDir ? undefined : cacheDir };
}

function absoluteHome(homedir: string, platform: NodeJS.Platform): string {
  if (platform === 'win32' ? win32.isAbsolute(homedir) : isAbsolute(homedir)) return homedir;
  throw new SwroleError('E_STATE_DIR_RELATIVE', `the home directory ${JSON.stringify(homedir)} is not an absolute path`, {
    hint: 'set HOME to an absolute path, or set SWROLE_HOME to one',
  });
}
