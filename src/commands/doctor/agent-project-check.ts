import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { findProjectView, commandPrograms, SHADOWING_KEYS } from '../../agent/view/agent-view-store.js';
import { readSettingsLayer } from '../../agent/claude/claude-settings-layers.js';
import { nonEmpty } from '../../config/setting-text.js';
import { commandLine } from '../../platform/command-hint.js';
import type { Deps } from '../../platform/deps.js';
import { fail, ok, warn, type CheckResult } from './doctor-check.js';

/** The nearest directory at or above `dir` with a `.git` entry (Claude Code keeps settings.local.json there). */
function findGitRoot(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** Every hook and statusLine command in a settings file (lenient: an unreadable file has none). */
function settingsCommands(file: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    return [];
  }
  const commands: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'command' && typeof inner === 'string') commands.push(inner);
        else walk(inner);
      }
    }
  };
  const root = parsed as Record<string, unknown> | null;
  walk(root?.hooks);
  walk(root?.statusLine);
  return commands;
}

/**
 * The agent grant of the project doctor runs in (`swrole agent claude`): its mode and profiles, whether it sits at
 * the git root where Claude Code reads settings.local.json, whether the settings still point at the view, whether
 * the hook commands' programs exist, and which variables of this shell the settings leave to shadow the view.
 */
export function checkAgentProject(deps: Deps): CheckResult[] {
  const gitRoot = findGitRoot(deps.cwd);
  const found = findProjectView(deps, deps.cwd);
  const settingsFile = join(found?.project ?? gitRoot ?? deps.cwd, '.claude', 'settings.local.json');
  const settingsEnv = readSettingsLayer('local', settingsFile).env;
  if (found === undefined) {
    const config = settingsEnv.AWS_CONFIG_FILE;
    if (config !== undefined && isAbsolute(config) && /swrole/.test(config) && !existsSync(config)) {
      return [
        fail(
          'agent-project',
          `${settingsFile} points Claude Code at ${config}, which is gone: its AWS tools get no credentials`,
          'run `swrole agent claude PROFILE` here again, or `swrole agent claude --remove`',
        ),
      ];
    }
    return [ok('agent-project', `no swrole agent grant for ${gitRoot ?? deps.cwd}`)];
  }
  const { project, paths, meta } = found;
  const again = `run \`${commandLine('swrole', 'agent', 'claude', ...meta.profiles, '--dir', gitRoot ?? project)}\` again`;
  const results: CheckResult[] = [];
  if (gitRoot !== undefined && project !== gitRoot) {
    results.push(
      warn(
        'agent-project',
        `the grant is for ${project}, but the git root is ${gitRoot}: Claude Code reads .claude/settings.local.json at the git root`,
        again,
      ),
    );
  }
  if (meta.mode !== 'env') {
    if (!existsSync(settingsFile)) {
      results.push(fail('agent-project', `${settingsFile} is gone: Claude Code in ${project} gets none of the grant`, again));
    } else if (meta.mode === 'view' && settingsEnv.AWS_CONFIG_FILE !== paths.configFile) {
      results.push(
        fail(
          'agent-project',
          `${settingsFile} sets AWS_CONFIG_FILE=${settingsEnv.AWS_CONFIG_FILE ?? '(nothing)'}, not the grant's view ${paths.configFile}`,
          again,
        ),
      );
    }
    for (const command of settingsCommands(settingsFile)) {
      const words = commandPrograms(command);
      if (!words.some((w) => /swrole/.test(w))) continue;
      const missing = words.filter((w) => isAbsolute(w) && !existsSync(w));
      if (missing.length > 0) {
        results.push(fail('agent-project', `a hook in ${settingsFile} runs ${missing.join(' and ')}, which no longer exists`, again));
      }
    }
    // Variables of the launching shell the view's settings do not override reach every process of the agent
    // (env-file mode exports its own in each command; keys mode sets the keys).
    const shadowing =
      meta.mode === 'view'
        ? [...SHADOWING_KEYS, 'AWS_DEFAULT_PROFILE'].filter((k) => nonEmpty(deps.env[k]) !== undefined && !Object.hasOwn(settingsEnv, k))
        : [];
    if (shadowing.length > 0) {
      results.push(
        warn(
          'agent-project',
          `this shell has ${shadowing.join(', ')}, which ${settingsFile} does not override: Claude Code started from here passes them on, and AWS tools prefer them to the grant`,
          `unset ${shadowing.join(' ')} before starting Claude Code, or ${again} (it blanks them)`,
        ),
      );
    }
  }
  if (results.length === 0) {
    results.push(
      ok(
        'agent-project',
        `Claude Code in ${project}: ${meta.mode} mode, profiles ${meta.profiles.join(', ')}, AWS_PROFILE=${meta.defaultProfile}${
          gitRoot === project ? ' (the git root)' : ''
        }`,
      ),
    );
  }
  return results;
}
