import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { Deps } from './deps.js';
import { resolveSwroleDirs, type SwroleDirs } from './resolve-state-dir.js';
import { ensureOwnPath, inspectOwnDir, unsafeDirError } from './trusted-dir.js';

export type DirDeps = Pick<Deps, 'env' | 'homedir' | 'platform' | 'user'>;

/**
 * The append-only logs an earlier swrole kept in the cache dir (src/audit/audit-log.ts), older first. They are
 * moved into the state dir on its first use; every other piece of legacy state is adopted where it is read
 * (claude-settings records under their project's lock, views read in place until rewritten).
 */
const LEGACY_LOGS = ['audit.log.1', 'audit.log'];

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * The state dir for writing: created 0700 or verified (trust rule, src/platform/trusted-dir.ts), and the legacy
 * logs adopted. Throws E_STATE_DIR_RELATIVE, E_STATE_DIR_UNSAFE, or the fs error that kept it from being created.
 */
export function openStateDir(deps: DirDeps, warn?: (message: string) => void): SwroleDirs {
  const dirs = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  ensureOwnPath(dirs.stateDir, [], deps.user, { create: true, ...(warn ? { warn } : {}) });
  if (dirs.legacyStateDir !== undefined) adoptLegacyLogs(dirs.legacyStateDir, dirs.stateDir, deps);
  return dirs;
}

/**
 * Moves each legacy log into the state dir without losing a line, whoever else runs at the same time:
 * a hard link (atomic, no copy) when the state dir has no log of that name yet; otherwise (new lines already
 * written there, or another filesystem) the legacy file is claimed by a rename only one caller can win, and its
 * lines are appended. A caller that finds the link already made by another just drops the legacy name.
 */
function adoptLegacyLogs(legacyDir: string, stateDir: string, deps: DirDeps): void {
  let checked = false;
  for (const name of LEGACY_LOGS) {
    const from = join(legacyDir, name);
    const found = lstatNoEntry(from);
    if (found === undefined) continue;
    if (!checked && deps.user !== undefined && deps.platform !== 'win32') {
      // Never import what another user could have put there.
      const verdict = inspectOwnDir(legacyDir, deps.user);
      if (verdict.kind === 'unsafe') throw unsafeDirError(legacyDir, verdict);
      checked = true;
    }
    if (!found.isFile()) continue;
    const to = join(stateDir, name);
    try {
      linkSync(from, to);
      unlinkIfPresent(from);
      continue;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // another caller moved it
      if (code === 'EEXIST') {
        const there = lstatSync(to, { throwIfNoEntry: false });
        const here = lstatSync(from, { throwIfNoEntry: false });
        if (here === undefined) continue;
        if (there !== undefined && there.ino === here.ino && there.dev === here.dev) {
          unlinkIfPresent(from); // another caller linked it and has not unlinked yet
          continue;
        }
      } else if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    }
    const claimed = join(legacyDir, `.${name}.adopting-${Math.random().toString(36).slice(2, 10)}`);
    try {
      renameSync(from, claimed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    appendNoFollow(to, readFileSync(claimed));
    unlinkIfPresent(claimed);
  }
}

/** lstat, undefined when there is nothing (also below a plain file: ENOTDIR). */
function lstatNoEntry(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function appendNoFollow(path: string, bytes: Buffer): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o600);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EINVAL' });
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  } finally {
    closeSync(fd);
  }
}
