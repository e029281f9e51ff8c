import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { SwroleError } from '../errors.js';
import { commandLine } from './command-hint.js';

/**
 * Filesystem failures as swrole errors (DESIGN.md Errors: bad input gets a clear error, never a stack trace).
 * A full disk, a read-only mount, a directory the user cannot write, a state dir under a plain file are
 * conditions of the user's machine, not bugs: the message names the path and the errno, the hint says what to
 * change. Only errors with an errno code are translated; anything else is still a bug and keeps its stack.
 */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** stat that never throws (a path under a plain file answers ENOTDIR, not "no entry"). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The first of `path` and its ancestors that exists and is not a directory: the plain file in the way of ENOTDIR. */
function fileInTheWay(path: string): string | undefined {
  for (let current = path; dirname(current) !== current; current = dirname(current)) {
    const stat = statOf(current);
    if (stat !== undefined) return stat.isDirectory() ? undefined : current;
  }
  return undefined;
}

/** The nearest directory on the way to `path` that exists: the one whose permissions or disk matter. */
function nearestDir(path: string): string {
  let current = dirname(path);
  while (dirname(current) !== current && statOf(current)?.isDirectory() !== true) current = dirname(current);
  return current;
}

/** What the errno means for `path`, in words. */
function reason(error: NodeJS.ErrnoException, path: string): string {
  switch (error.code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = fileInTheWay(path);
      return file ? `${file} is a file, not a directory (${error.code})` : `a part of the path is not a directory (${error.code})`;
    }
    case 'EISDIR':
      return `${path} is a directory (EISDIR)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${error.code})`;
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    default:
      return error.code ?? error.message;
  }
}

/** What to do about it. */
function remedy(error: NodeJS.ErrnoException, path: string): string {
  const dir = nearestDir(path);
  switch (error.code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = fileInTheWay(path);
      return file ? `move the file ${file} out of the way` : `check the directories on the way to ${path}`;
    }
    case 'EISDIR':
      return `remove or rename the directory ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `check the owner and permissions of ${dir} (\`ls -ld ${dir}\`)`;
    case 'EROFS':
      return `${dir} is on a read-only file system (a sandbox or a read-only mount)`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `free some space on the disk holding ${dir} (\`df -h ${dir}\`)`;
    default:
      return `check ${dir}`;
  }
}

/**
 * A failed write under swrole's state dir (E_STATE_DIR, exit 5): `action` says what failed ("write the agent
 * view"), `path` is the file or directory being written, `alternative` ends the hint.
 */
export function stateDirError(
  action: string,
  path: string,
  error: NodeJS.ErrnoException,
  alternative = 'or set SWROLE_HOME to a directory you can write',
): SwroleError {
  return new SwroleError('E_STATE_DIR', `cannot ${action} ${path}: ${reason(error, path)}`, {
    hint: `${remedy(error, path)}${alternative ? `, ${alternative}` : ''}`,
    cause: error,
  });
}

/**
 * A failed write of a file another tool owns (E_FILE_WRITE, exit 6): `.claude/settings.local.json`, the AWS
 * config, git's exclude file, CLAUDE_ENV_FILE. `after` is appended to the hint (e.g. what was left unchanged).
 */
export function fileWriteError(action: string, path: string, error: NodeJS.ErrnoException, after = ''): SwroleError {
  return new SwroleError('E_FILE_WRITE', `cannot ${action} ${path}: ${reason(error, path)}`, {
    hint: `${remedy(error, path)}${after ? `; ${after}` : ''}`,
    cause: error,
  });
}

/** A file swrole must read before it edits it cannot be read (E_FILE_READ, exit 6). */
export function fileReadError(path: string, error: NodeJS.ErrnoException): SwroleError {
  return new SwroleError('E_FILE_READ', `cannot read ${path}: ${reason(error, path)}`, {
    hint: `${error.code === 'EACCES' || error.code === 'EPERM' ? `check the permissions of ${path} (\`${commandLine('ls', '-l', path)}\`)` : remedy(error, path)}; swrole changed nothing`,
    cause: error,
  });
}

/**
 * Runs `write`; an errno failure becomes `toError(error)`, anything else (a SwroleError, a bug) passes through
 * unchanged.
 */
export function translateFileErrors<T>(write: () => T, toError: (error: NodeJS.ErrnoException) => SwroleError): T {
  try {
    return write();
  } catch (error) {
    if (isFileSystemError(error)) throw toError(error);
    throw error;
  }
}

/** translateFileErrors for async writes (lock acquisition). */
export async function translateFileErrorsAsync<T>(
  write: () => Promise<T>,
  toError: (error: NodeJS.ErrnoException) => SwroleError,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isFileSystemError(error)) throw toError(error);
    throw error;
  }
}
