import { chmodSync, lstatSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { SwroleError } from '../errors.js';
import type { PosixUser } from './deps.js';
import { makeDirs } from './make-dirs.js';

/**
 * Which directories swrole trusts (ARCHITECTURE.md "State directory"). Another local user who can write to a
 * directory swrole reads from can plant a session (credentials of their choosing), a view whose
 * credential_process runs their code, or a symlink that turns an append into a write to any file of ours.
 *
 * - **Own directories** (the cache and state roots and everything below them): owned by the user (or root, as
 *   OpenSSH's StrictModes accepts: root can write anywhere anyway, and `sudo swrole` leaves root's dirs behind),
 *   no group or other write bits, and not a symlink unless the link and the directory it names are both the
 *   user's (or root's). A directory that is the user's but readable by others is tightened to 0700 (with a
 *   warning): nothing can have been planted, but secrets may be listed. Anything else is refused: tightening
 *   would not undo a plant. A plain file where a directory belongs is no plant (only the user could put it
 *   there, its parent being trusted): it is "missing" when read and ENOTDIR when swrole must create it.
 * - **Ancestors of a root** (`~/.cache`, `~`, `/home`, `/`): not writable by others unless sticky (`/tmp`).
 *   Group write is accepted only for the user's own primary group (user private groups with umask 002 make
 *   `~/.cache` 0775). Their owner is not checked: in a user-namespace sandbox (bubblewrap, rootless containers)
 *   `/` and `/home` show up owned by the overflow uid 65534, and a foreign owner of the user's own home would be
 *   a setup no check of ours repairs.
 *
 * Each check is one lstat (plus one stat for a symlink), so the cache-hit path can afford it. Windows has no
 * POSIX owners or modes (`user` undefined): nothing is checked there (NTFS ACLs on %LOCALAPPDATA% are per user).
 */
export type DirVerdict =
  { kind: 'ok' } | { kind: 'missing' } | { kind: 'notdir' } | { kind: 'loose' } | { kind: 'unsafe'; problem: string; hint: string };

/** The user, or root (trusted by every user; see above). */
const trustedOwner = (uid: number, user: PosixUser) => uid === user.uid || uid === 0;

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;
const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;

function removeHint(dir: string): string {
  return `remove it (\`rm -rf ${quote(dir)}\`, as its owner or root) and let swrole create its own, or set SWROLE_HOME to a directory of yours`;
}

/** One own directory, not created: `missing` when it (or a parent) does not exist. */
export function inspectOwnDir(dir: string, user: PosixUser): DirVerdict {
  let st: Stats | undefined;
  try {
    st = lstatSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'missing' };
    throw error;
  }
  if (st === undefined) return { kind: 'missing' };
  if (st.isSymbolicLink()) {
    if (!trustedOwner(st.uid, user))
      return { kind: 'unsafe', problem: `it is a symlink owned by uid ${st.uid}, not by you`, hint: removeHint(dir) };
    const target = statSync(dir, { throwIfNoEntry: false });
    if (target === undefined) return { kind: 'unsafe', problem: 'it is a symlink to nothing', hint: removeHint(dir) };
    if (!trustedOwner(target.uid, user))
      return { kind: 'unsafe', problem: `it is a symlink to a directory owned by uid ${target.uid}, not by you`, hint: removeHint(dir) };
    st = target;
  }
  if (!st.isDirectory()) return { kind: 'notdir' };
  if (!trustedOwner(st.uid, user))
    return { kind: 'unsafe', problem: `it is owned by uid ${st.uid}, not by you (uid ${user.uid})`, hint: removeHint(dir) };
  if ((st.mode & 0o022) !== 0) {
    return {
      kind: 'unsafe',
      problem: `it is writable by ${(st.mode & 0o002) !== 0 ? 'other users' : 'its group'} (mode ${octal(st.mode)}), so what is inside may have been planted`,
      hint: `check what is inside, then run \`chmod 700 ${quote(dir)}\`; or remove it (\`rm -rf ${quote(dir)}\`) and let swrole create it again`,
    };
  }
  // Root's directory is not ours to chmod (and not ours to write: a write there fails with EACCES).
  return (st.mode & 0o077) !== 0 && st.uid === user.uid ? { kind: 'loose' } : { kind: 'ok' };
}

/** A directory above a root: `ok` when missing (swrole creates it 0700). */
export function inspectAncestor(dir: string, user: PosixUser): DirVerdict {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return { kind: 'ok' };
  if (!st.isDirectory())
    return { kind: 'unsafe', problem: `${dir} is not a directory`, hint: `remove ${quote(dir)} or set SWROLE_HOME elsewhere` };
  const sticky = (st.mode & 0o1000) !== 0;
  const othersWrite = (st.mode & 0o002) !== 0 || ((st.mode & 0o020) !== 0 && st.gid !== user.gid);
  if (othersWrite && !sticky)
    return {
      kind: 'unsafe',
      problem: `its parent ${dir} is writable by other users and not sticky (mode ${octal(st.mode)}), so they could replace it`,
      hint: `run \`chmod go-w ${quote(dir)}\`, or set SWROLE_HOME to a directory below one only you can write`,
    };
  return { kind: 'ok' };
}

export function unsafeDirError(dir: string, verdict: { problem: string; hint: string }): SwroleError {
  return new SwroleError('E_STATE_DIR_UNSAFE', `refusing to use ${dir}: ${verdict.problem}`, { hint: verdict.hint });
}

/**
 * The fast path's question: is `dir` an own directory exactly as it is (one lstat; nothing created or tightened)?
 * Without a POSIX user (Windows), only whether it exists.
 */
export function isTrustedAsIs(dir: string, deps: { user: PosixUser | undefined; platform: NodeJS.Platform }): boolean {
  if (deps.user === undefined || deps.platform === 'win32') return lstatSync(dir, { throwIfNoEntry: false }) !== undefined;
  return inspectOwnDir(dir, deps.user).kind === 'ok';
}

/** Ancestors found safe in this process (they are the same for every file below a root). */
const safeAncestors = new Set<string>();

/** Checks every existing directory above `root` (not `root` itself); throws E_STATE_DIR_UNSAFE. */
export function verifyAncestors(root: string, user: PosixUser): void {
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const memo = `${user.uid}:${user.gid}:${dir}`;
    if (!safeAncestors.has(memo)) {
      const verdict = inspectAncestor(dir, user);
      if (verdict.kind === 'unsafe') throw unsafeDirError(root, verdict);
      safeAncestors.add(memo);
    }
    if (dirname(dir) === dir) return;
  }
}

export interface OwnDirOptions {
  /** Create it (and missing parents) 0700 when it does not exist; else `false` is returned for a missing dir. */
  create: boolean;
  /** Told when a directory readable by others was tightened to 0700. */
  warn?: (message: string) => void;
}

/** A plain file where a directory must be created: an fs error like mkdir's, which callers translate (E_STATE_DIR). */
function notDirectoryError(dir: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, '${dir}'`), { code: 'ENOTDIR', path: dir, syscall: 'mkdir' });
}

/**
 * Makes sure `dir` is an own directory: created 0700, or verified (a loose one tightened). Throws
 * E_STATE_DIR_UNSAFE for one swrole must not use, and fs errors as they come (ENOTDIR for a plain file in its
 * place when `create`; callers decide whether an unwritable dir is fatal). Without a POSIX user (Windows) it only
 * creates.
 */
export function ensureOwnDir(dir: string, user: PosixUser | undefined, options: OwnDirOptions): boolean {
  if (user === undefined) {
    if (options.create) makeDirs(dir);
    else if (statSync(dir, { throwIfNoEntry: false }) === undefined) return false;
    return true;
  }
  let verdict = inspectOwnDir(dir, user);
  if (verdict.kind === 'missing') {
    if (!options.create) return false;
    makeDirs(dir);
    verdict = inspectOwnDir(dir, user);
  }
  if (verdict.kind === 'notdir') {
    if (!options.create) return false;
    throw notDirectoryError(dir);
  }
  if (verdict.kind === 'unsafe') throw unsafeDirError(dir, verdict);
  if (verdict.kind === 'loose') {
    chmodSync(dir, 0o700);
    options.warn?.(`${dir} was readable by other users; its mode is now 0700`);
  }
  return verdict.kind !== 'missing';
}

/**
 * A root (the cache or state dir) and the levels below it that swrole uses, e.g. `(state, ['agents', key])`:
 * the root's ancestors, the root and every level, each checked (and created when `create`). Returns the
 * deepest path, or undefined when a level is missing and not to be created.
 */
export function ensureOwnPath(
  root: string,
  levels: readonly string[],
  user: PosixUser | undefined,
  options: OwnDirOptions,
): string | undefined {
  if (user !== undefined) verifyAncestors(root, user);
  let dir = root;
  if (!ensureOwnDir(dir, user, options)) return undefined;
  for (const level of levels) {
    dir = join(dir, level);
    if (!ensureOwnDir(dir, user, options)) return undefined;
  }
  return dir;
}
