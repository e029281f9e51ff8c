import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { SwroleError } from '../errors.js';
import { fileWriteError, translateFileErrors } from '../platform/file-system-error.js';
import { makeDirs } from '../platform/private-dir.js';
import { commandLine } from '../platform/command-hint.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git with argv (no shell) in `cwd`; code -1 means git could not be run at all. */
export type RunGit = (args: string[], cwd: string) => Promise<GitResult>;

export type IgnoreOutcome = 'not-a-repo' | 'already-ignored' | 'excluded';

/**
 * A path as a gitignore pattern that matches exactly it (gitignore(5)): `*`, `?`, `[` and `\` are glob
 * characters, escaped with a backslash (a project under `svc[1]/` otherwise matched `svc1/`, not itself);
 * trailing spaces are escaped too (git drops them). The caller anchors it with a leading `/`. PURE.
 */
export function escapeGitPattern(path: string): string {
  return path.replace(/[\\*?[]/g, '\\$&').replace(/ +$/, (spaces) => spaces.replace(/ /g, '\\ '));
}

const GIT_TIMEOUT_MS = 5000;

/** The real git, bounded in time and output. GIT_OPTIONAL_LOCKS=0: read-only queries never take the index lock. */
export function createRunGit(env: Readonly<Record<string, string | undefined>>): RunGit {
  return (args, cwd) =>
    new Promise((resolve) => {
      execFile(
        'git',
        args,
        { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 1024 * 1024, env: { ...env, GIT_OPTIONAL_LOCKS: '0' }, windowsHide: true },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
}

/**
 * Makes sure git will not pick up `relPath` (relative to `projectDir`). Claude Code adds settings.local.json to
 * the user's global excludes only when it creates the file itself (docs/reference/agents.md §1.3), so a file swrole
 * creates needs its own entry. swrole writes it to the repository's `.git/info/exclude`: nothing in the project's
 * tracked files changes, and the user's global git config is left alone. A file git already tracks is refused:
 * its secrets-adjacent paths would be committed, and Claude Code would treat it as repository-supplied.
 */
export async function ensureGitIgnored(projectDir: string, relPath: string, runGit: RunGit): Promise<IgnoreOutcome> {
  const top = await runGit(['rev-parse', '--show-toplevel'], projectDir);
  if (top.code !== 0) return 'not-a-repo';

  const tracked = await runGit(['ls-files', '--error-unmatch', '--', relPath], projectDir);
  if (tracked.code === 0) {
    throw new SwroleError(
      'E_SETTINGS_TRACKED',
      `${join(projectDir, relPath)} is tracked by git: swrole will not write agent settings into a committed file`,
      {
        hint: `run \`${commandLine('git', 'rm', '--cached', relPath)}\` (keeps your copy), commit that, then run swrole again`,
      },
    );
  }
  const ignored = await runGit(['check-ignore', '-q', '--', relPath], projectDir);
  if (ignored.code === 0) return 'already-ignored';
  if (ignored.code !== 1) {
    throw new SwroleError('E_GIT_FAILED', `git check-ignore failed in ${projectDir}: ${ignored.stderr.trim() || `exit ${ignored.code}`}`, {
      hint: 'check that git works in this directory (`git status`)',
    });
  }

  const prefix = (await runGit(['rev-parse', '--show-prefix'], projectDir)).stdout.trim();
  const excludeOut = await runGit(['rev-parse', '--git-path', 'info/exclude'], projectDir);
  const excludeRel = excludeOut.stdout.trim();
  if (excludeOut.code !== 0 || excludeRel === '') {
    throw new SwroleError('E_GIT_FAILED', `cannot find .git/info/exclude for ${projectDir}`, {
      hint: 'add the file to .gitignore yourself',
    });
  }
  const excludeFile = isAbsolute(excludeRel) ? excludeRel : join(projectDir, excludeRel);
  const pattern = `/${escapeGitPattern(`${prefix}${relPath.split('\\').join('/')}`)}`;
  translateFileErrors(
    () => {
      makeDirs(dirname(excludeFile));
      const current = existsSync(excludeFile) ? readFileSync(excludeFile, 'utf8') : '';
      const lead = current === '' || current.endsWith('\n') ? '' : '\n';
      appendFileSync(excludeFile, `${lead}# added by swrole: Claude Code local settings (swrole agent claude)\n${pattern}\n`);
    },
    (error) => fileWriteError(`add ${pattern} to`, excludeFile, error, `or add ${relPath} to .gitignore yourself`),
  );
  return 'excluded';
}
