import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import { isFileSystemError } from '../platform/file-system-error.js';
import { resolveSwroleDirs } from '../platform/resolve-state-dir.js';
import { ensureOwnDir, ensureOwnPath, isTrustedAsIs } from '../platform/trusted-dir.js';
import { MEMO_DIR } from './hit-memo.js';
import { createSessionStore, type SessionStore } from './session-store.js';

export const SESSIONS_DIR = 'sessions';

export interface OpenedCache {
  store: SessionStore;
  /** The credential cache root (sessions/, memo/): `$SWROLE_HOME` or the platform cache dir. */
  cacheDir: string;
}

type CacheDeps = Pick<Deps, 'env' | 'homedir' | 'platform' | 'user' | 'now' | 'stderr' | 'pid' | 'invocation'>;

/**
 * swrole's credential cache and the session store in it: the one place that names `sessions/`. The root,
 * `sessions/` and `memo/` are verified (src/platform/trusted-dir.ts: a loose one tightened with a warning, an
 * unsafe one refused with E_STATE_DIR_UNSAFE); missing ones are created 0700 when first written.
 */
export function openSessionStore(deps: CacheDeps, warn: (message: string) => void): OpenedCache {
  const { cacheDir } = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  try {
    if (ensureOwnPath(cacheDir, [], deps.user, { create: false, warn }) !== undefined) {
      for (const sub of [SESSIONS_DIR, MEMO_DIR]) ensureOwnDir(join(cacheDir, sub), deps.user, { create: false, warn });
    }
  } catch (error) {
    // A loose dir on a read-only disk cannot be tightened: nothing can be planted there either, and every write
    // to it fails and is reported where it happens (the session cache's one warning). Refusals still refuse.
    if (!isFileSystemError(error)) throw error;
  }
  return { store: storeIn(cacheDir, deps, warn), cacheDir };
}

/**
 * The fast path's check of `cacheDir` (resolved by the caller): the root, `sessions/` and `memo/` exist and are
 * trusted exactly as they are, one lstat each. Anything else is undefined, and the full path repairs, warns or
 * refuses. The root's ancestors are left to the full path, which ran before any memo existed.
 */
export function openTrustedCache(deps: CacheDeps, cacheDir: string): OpenedCache | undefined {
  for (const dir of [cacheDir, join(cacheDir, SESSIONS_DIR), join(cacheDir, MEMO_DIR)]) if (!isTrustedAsIs(dir, deps)) return undefined;
  return { store: storeIn(cacheDir, deps, () => {}), cacheDir };
}

function storeIn(cacheDir: string, deps: CacheDeps, warn: (message: string) => void): SessionStore {
  return createSessionStore({
    dir: join(cacheDir, SESSIONS_DIR),
    now: deps.now,
    warn,
    notice: (message) => deps.stderr.write(`swrole: ${message}\n`),
    pid: deps.pid,
    command: deps.invocation ?? 'swrole',
    platform: deps.platform,
    user: deps.user,
  });
}
