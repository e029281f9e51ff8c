import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { AwsConfig } from '../../config/types.js';
import { stringValue } from '../../config/types.js';
import { resolveSwroleDirs } from '../../platform/resolve-state-dir.js';
import { inspectAncestor, inspectOwnDir } from '../../platform/trusted-dir.js';
import { commandLine } from '../../platform/command-hint.js';
import type { Deps } from '../../platform/deps.js';
import { isSwroleError } from '../../errors.js';
import { commandPrograms, listProjectViews, viewsWithMissingPrograms } from '../../agent/view/agent-view-store.js';
import { fail, ok, warn, type CheckResult } from './doctor-check.js';

/** The levels below each root that swrole creates (ARCHITECTURE.md "State directories"). */
const CACHE_LEVELS = ['sessions', 'memo', 'refusals'];
const STATE_LEVELS = ['agents', 'claude-settings', 'setup'];

/**
 * swrole's directories under the trust rule every command applies (src/platform/trusted-dir.ts), inspected only:
 * doctor creates and tightens nothing. The roots' ancestors, the roots, the levels below them and each view dir.
 */
export function checkStateDirs(deps: Pick<Deps, 'env' | 'homedir' | 'platform' | 'user'>): CheckResult[] {
  let dirs: ReturnType<typeof resolveSwroleDirs>;
  try {
    dirs = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  } catch (error) {
    if (!isSwroleError(error)) throw error;
    return [fail('state-dir', error.message, error.hint ?? 'set SWROLE_HOME to an absolute path')];
  }
  const where = dirs.cacheDir === dirs.stateDir ? dirs.cacheDir : `${dirs.cacheDir} and ${dirs.stateDir}`;
  const user = deps.user;
  if (user === undefined || deps.platform === 'win32') return [ok('state-dir', `${where} (permissions are not checked on Windows)`)];
  const results: CheckResult[] = [];
  const seen = new Set<string>();
  const inspect = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const verdict = inspectOwnDir(dir, user);
    if (verdict.kind === 'loose') {
      results.push(
        warn(
          'state-dir',
          `${dir} is readable by other users (swrole tightens it to 0700 when it next uses it)`,
          `chmod 700 ${commandLine(dir)}`,
        ),
      );
    } else if (verdict.kind === 'notdir') {
      results.push(
        fail(
          'state-dir',
          `${dir} is not a directory: swrole cannot keep its files there`,
          `remove ${commandLine(dir)}, or set SWROLE_HOME`,
        ),
      );
    } else if (verdict.kind === 'unsafe') {
      results.push(fail('state-dir', `swrole refuses to use ${dir}: ${verdict.problem}`, verdict.hint));
    }
  };
  for (const [root, levels] of [
    // The cache dir may still hold views of an earlier swrole (agents/, read in place until replaced).
    [dirs.cacheDir, [...CACHE_LEVELS, ...viewLevels(dirs.cacheDir)]],
    [dirs.stateDir, [...STATE_LEVELS, ...viewLevels(dirs.stateDir)]],
  ] as const) {
    for (let dir = dirname(root); ; dir = dirname(dir)) {
      const verdict = inspectAncestor(dir, user);
      if (verdict.kind === 'unsafe') results.push(fail('state-dir', `swrole refuses to use ${root}: ${verdict.problem}`, verdict.hint));
      if (dirname(dir) === dir) break;
    }
    inspect(root);
    if (inspectOwnDir(root, user).kind !== 'unsafe') for (const level of levels) inspect(join(root, level));
  }
  if (results.length === 0) results.push(ok('state-dir', `${where}: yours, 0700, nobody else can write there (or not created yet)`));
  return results;
}

/** `agents` and each view dir below it, when there is one. */
function viewLevels(root: string): string[] {
  const views = subdirs(join(root, 'agents'));
  return views.length === 0 ? [] : ['agents', ...views.map((d) => join('agents', d))];
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** The absolute programs a credential_process runs that are gone (a node upgrade by a version manager removes the old one). */
function missingPrograms(command: string, exists: (path: string) => boolean): string[] {
  return commandPrograms(command).filter((word) => isAbsolute(word) && !exists(word));
}

const SETUP_SUFFIX = '.swrole';

/**
 * The `credential_process` lines `swrole setup` wrote (`<node> <swrole> process P`, absolute paths) and every other
 * one that calls swrole: do node and swrole still exist where they say?
 */
export function checkSetupPaths(config: AwsConfig | undefined, exists: (path: string) => boolean = existsSync): CheckResult[] {
  if (config === undefined)
    return [warn('setup-paths', 'not checked: the config file cannot be read (see config-files)', 'fix the config-files line first')];
  const results: CheckResult[] = [];
  let checked = 0;
  for (const profile of config.profiles.values()) {
    const command = stringValue(profile.values, 'credential_process');
    if (command === undefined) continue;
    const words = commandPrograms(command);
    if (!words.some((w) => /swrole/.test(w.split('/').at(-1) ?? ''))) continue;
    checked++;
    const missing = missingPrograms(command, exists);
    if (missing.length === 0) continue;
    const original = profile.name.endsWith(SETUP_SUFFIX) ? profile.name.slice(0, -SETUP_SUFFIX.length) : undefined;
    results.push(
      fail(
        'setup-paths',
        `profile "${profile.name}": credential_process runs ${missing.join(' and ')}, which no longer exists: every tool using it gets no credentials`,
        original !== undefined
          ? `run \`${commandLine('swrole', 'setup', original)}\` again (it writes the current node and swrole paths)`
          : 'correct the paths in credential_process (`command -v node swrole`)',
      ),
    );
  }
  if (results.length === 0) {
    results.push(
      ok(
        'setup-paths',
        checked === 0
          ? 'no credential_process calls swrole (swrole setup not used)'
          : `${checked} credential_process line(s) call node and swrole at paths that exist`,
      ),
    );
  }
  return results;
}

/** The agent views (`swrole agent claude`) whose credential_process, and so the hooks beside it, call programs that are gone. */
export function checkAgentPaths(deps: Pick<Deps, 'env' | 'homedir' | 'platform' | 'user'>): CheckResult[] {
  const stateDir = resolveSwroleDirs(deps.env, deps.homedir, deps.platform).stateDir;
  const views = listProjectViews(stateDir, deps);
  const results = viewsWithMissingPrograms(stateDir, deps).map(({ project, missing }) => {
    const profiles = views.find((v) => v.project === project)?.profiles ?? ['PROFILE'];
    return fail(
      'agent-paths',
      `the agent grant of ${project} calls ${missing}, which no longer exists: its agent gets no AWS credentials and swrole's hooks there fail`,
      `run \`${commandLine('swrole', 'agent', 'claude', ...profiles, '--dir', project)}\` again`,
    );
  });
  if (results.length === 0) {
    results.push(
      ok('agent-paths', views.length === 0 ? 'no agent grants' : `${views.length} agent grant(s) call node and swrole at paths that exist`),
    );
  }
  return results;
}
