import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { platform as osPlatform } from 'node:os';
import { join } from 'node:path';
import { SwroleError } from '../errors.js';
import { TEMP_SUFFIX, writeFileAtomic } from '../platform/atomic-write.js';
import type { HeldLock } from './key-lock.js';
import type { LockBounds } from '../platform/file-lock.js';
import { ensurePrivateDir, isUnwritableError } from '../platform/private-dir.js';
import { expiresAtMs, isFresh, parseStoredSession, renderStoredSession } from './session-file.js';
import type { StoredSession } from './types.js';

export interface SessionStoreOptions {
  dir: string;
  now: () => number;
  /** A session is a hit while more than this remains (default 5 min; never less than 60 s). */
  refreshWindowMs?: number;
  warn: (message: string) => void;
  /** Tells a waiting person who holds a lock (`swrole: waiting for pid ...`). */
  notice?: (message: string) => void;
  /** This process, for the lock records waiters read: Deps.pid and Deps.invocation. */
  pid: number;
  command?: string;
  /** How long to wait for other processes' locks (file-lock.ts DEFAULT_LOCK_BOUNDS) → E_CACHE_LOCK_TIMEOUT. */
  lockBounds?: Partial<LockBounds>;
  /** Defaults to the running platform; decides whether POSIX modes are enforced and how lock holders are checked. */
  platform?: NodeJS.Platform;
}

export interface ObtainResult {
  session: StoredSession;
  hit: boolean;
}

export interface ObtainOptions {
  /** Whether a person waits for this (bounds the wait on a lock holder that waits for a person). */
  interactive?: () => boolean;
  /**
   * Fetch a new session even if one is cached (`login --force`). The cached one is kept, and served, until
   * the new one is stored; a session another process stored while we waited for the lock is taken instead.
   */
  replace?: boolean;
}

/** What a lock holder tells waiters it does, while it waits for a person. */
export interface LockActivity {
  doing: string;
  person: boolean;
}

export interface SessionStore {
  read(key: string): StoredSession | undefined;
  readAny(key: string): StoredSession | undefined;
  obtain(key: string, fetch: () => Promise<StoredSession>, options?: ObtainOptions): Promise<ObtainResult>;
  /** Tells the waiters of every lock this store holds what we are doing now (undefined: back to the default). */
  setLockActivity(activity: LockActivity | undefined): void;
  remove(key: string): void;
  list(): Array<{ key: string; session: StoredSession }>;
  clear(): number;
  /** Removes the temp files of killed writers (they hold credentials); returns how many. */
  clearTempFiles(): number;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const SESSION_FILE = /^([A-Za-z0-9][A-Za-z0-9_-]{0,127})\.json$/;
const HEX_KEY = /^[0-9a-f]{64}$/;
const MAX_FILE_BYTES = 1 << 20;
// O_NOFOLLOW: a session file that is a symlink is not ours; Windows has no such flag.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

function assertKey(key: string): void {
  if (!KEY.test(key)) {
    throw new SwroleError('E_CACHE_KEY', `invalid session cache key ${JSON.stringify(key)}`, {
      hint: 'this is a bug in swrole: cache keys come from cacheKey()',
    });
  }
}

/**
 * The session cache (DESIGN.md "Sessions and the cache"): one JSON file per key, 0600 in a 0700 dir.
 * The hit path is synchronous and uses only node:fs + JSON.parse; the lock code (key-lock.ts) loads on a miss only.
 */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { dir, now, warn } = options;
  const refreshWindowMs = options.refreshWindowMs ?? 5 * 60_000;
  const platform = options.platform ?? osPlatform();
  const warned = new Set<string>();
  const warnOnce = (topic: string, message: string) => {
    if (warned.has(topic)) return;
    warned.add(topic);
    warn(message);
  };
  const warnNotCached = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException | null)?.code ?? 'error';
    warnOnce(
      'unwritable',
      `cannot write the session cache in ${dir} (${code}); credentials are used but not cached. ` +
        'Set SWROLE_HOME to a writable directory to cache them',
    );
  };
  const pathOf = (key: string) => join(dir, `${key}.json`);

  function readFile(key: string): StoredSession | undefined {
    assertKey(key);
    let fd: number;
    try {
      fd = openSync(pathOf(key), READ_FLAGS);
    } catch {
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
        fchmodSync(fd, 0o600);
        warnOnce('file-mode', `session file ${pathOf(key)} was readable by others; its mode is now 0600`);
      }
      return parseStoredSession(readFileSync(fd, 'utf8'));
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  function read(key: string): StoredSession | undefined {
    const session = readFile(key);
    return session !== undefined && isFresh(session, now(), refreshWindowMs) ? session : undefined;
  }

  /** Creates/tightens the dir; false (after one warning) when it cannot hold files. */
  function prepareDir(): boolean {
    try {
      if (ensurePrivateDir(dir, platform).tightened) {
        warnOnce('dir-mode', `session cache directory ${dir} was accessible by others; its mode is now 0700`);
      }
      return true;
    } catch (error) {
      warnNotCached(error);
      return false;
    }
  }

  function write(key: string, session: StoredSession): void {
    // Only sessions that expire are cached: a file without an expiry would be read as a miss anyway.
    if (Number.isNaN(expiresAtMs(session) ?? Number.NaN)) return;
    try {
      writeFileAtomic(dir, `${key}.json`, renderStoredSession(session), platform);
    } catch (error) {
      warnNotCached(error);
    }
  }

  const held = new Set<HeldLock>();
  const DOING = 'obtaining credentials';

  async function obtain(key: string, fetch: () => Promise<StoredSession>, how: ObtainOptions = {}): Promise<ObtainResult> {
    const before = how.replace ? readFile(key) : undefined;
    const beforeText = before === undefined ? undefined : renderStoredSession(before);
    // A fresh session answers, except under `replace`, where only one stored after we started does.
    const ready = (): StoredSession | undefined => {
      const session = read(key);
      if (session === undefined || !how.replace) return session;
      return beforeText === undefined || renderStoredSession(session) !== beforeText ? session : undefined;
    };
    const cached = ready();
    if (cached !== undefined) return { session: cached, hit: true };
    if (!prepareDir()) return { session: await fetch(), hit: false };

    const { acquireKeyLock } = await import('./key-lock.js');
    let lock: HeldLock | undefined;
    for (;;) {
      try {
        lock = await acquireKeyLock({
          dir,
          key,
          owner: { pid: options.pid, command: options.command ?? 'swrole', now, platform },
          ...(how.interactive ? { interactive: how.interactive } : {}),
          ...(options.notice ? { notify: options.notice } : {}),
          ...(options.lockBounds ? { bounds: options.lockBounds } : {}),
          until: () => ready() !== undefined,
        });
      } catch (error) {
        if (!isUnwritableError(error)) throw error;
        warnNotCached(error);
        return { session: await fetch(), hit: false };
      }
      if (lock !== undefined) break;
      // The holder we waited for stored what we need.
      const done = ready();
      if (done !== undefined) return { session: done, hit: true };
    }
    held.add(lock);
    try {
      // Whoever held the lock before us has probably just written what we need.
      const again = ready();
      if (again !== undefined) return { session: again, hit: true };
      const session = await fetch();
      write(key, session);
      return { session, hit: false };
    } finally {
      held.delete(lock);
      if (!lock.release()) {
        warnOnce('lock', `the cache lock ${lock.path} was removed by someone else while this process held it (is the state dir shared?)`);
      }
    }
  }

  function setLockActivity(activity: LockActivity | undefined): void {
    for (const lock of held) lock.update(activity?.doing ?? DOING, activity?.person ?? false);
  }

  function remove(key: string): void {
    assertKey(key);
    try {
      unlinkSync(pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  function names(): string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  }

  function list(): Array<{ key: string; session: StoredSession }> {
    const out: Array<{ key: string; session: StoredSession }> = [];
    for (const name of names().sort()) {
      const key = SESSION_FILE.exec(name)?.[1];
      const session = key === undefined ? undefined : readFile(key);
      if (key !== undefined && session !== undefined) out.push({ key, session });
    }
    return out;
  }

  const isTempFile = (name: string) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX);

  function unlinkIfThere(name: string): boolean {
    try {
      unlinkSync(join(dir, name));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return false;
    }
  }

  function clear(): number {
    let removed = 0;
    for (const name of names()) {
      // Only what is ours: cacheKey() names, or files that parse as sessions, or our leftover temp files.
      const key = SESSION_FILE.exec(name)?.[1];
      const isSession = key !== undefined && (HEX_KEY.test(key) || readFile(key) !== undefined);
      if (!isSession && !isTempFile(name)) continue;
      if (unlinkIfThere(name) && isSession) removed++;
    }
    return removed;
  }

  function clearTempFiles(): number {
    return names().filter((name) => isTempFile(name) && unlinkIfThere(name)).length;
  }

  return { read, readAny: readFile, obtain, setLockActivity, remove, list, clear, clearTempFiles };
}
