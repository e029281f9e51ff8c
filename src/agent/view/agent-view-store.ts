import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import type { Deps } from '../../platform/deps.js';
import { fastHash } from '../../platform/fast-hash.js';
import { projectKey } from '../../platform/project-key.js';
import { stateDirError, translateFileErrors } from '../../platform/file-system-error.js';
import { readTextNoFollow } from '../../platform/read-no-follow.js';
import { resolveSwroleDirs } from '../../platform/resolve-state-dir.js';
import { ensureOwnPath } from '../../platform/trusted-dir.js';
import type { AgentScope } from '../../credentials/agent-scope.js';
import type { ViewSource } from './render-agent-view.js';

/** What a view holds, stored beside it as view.json (no secrets) for env-file hooks, statusline and --remove. */
export interface AgentViewMeta {
  version: 1;
  agent: string;
  mode: 'view' | 'env-file' | 'keys' | 'env';
  project: string | null;
  profiles: string[];
  defaultProfile: string;
  source: ViewSource;
  scope: AgentScope;
  durationSeconds: number | null;
  createdAt: string;
  /** `agent claude --bedrock-profile P`: the profile whose credentials Claude Code's Bedrock client gets. */
  bedrockProfile?: string;
  /** `agent claude --contain`: the Bash tool runs in Claude Code's sandbox; the hooks write each profile's session. */
  contained?: true;
}

export interface AgentViewPaths {
  /** The state dir (or the legacy one) holding `agents/<key>/`. */
  root: string;
  key: string;
  dir: string;
  configFile: string;
  credentialsFile: string;
  metaFile: string;
}

const AGENTS_DIR = 'agents';

export function viewPaths(root: string, key: string): AgentViewPaths {
  const dir = join(root, AGENTS_DIR, key);
  return { root, key, dir, configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials'), metaFile: join(dir, 'view.json') };
}

/** A project's view: keyed by the project's real path, so every spelling of it finds the same view. */
export function projectViewPaths(stateDir: string, projectDir: string): AgentViewPaths {
  return viewPaths(stateDir, projectKey(projectDir));
}

/** `swrole agent env`: project-independent, keyed by what the view grants. */
export function grantViewPaths(
  stateDir: string,
  grant: { profiles: readonly string[]; defaultProfile: string; scope: AgentScope; durationSeconds: number | null; source: ViewSource },
): AgentViewPaths {
  const key = JSON.stringify([
    [...grant.profiles].sort(),
    grant.defaultProfile,
    grant.scope.readOnly,
    grant.scope.policyFile ?? null,
    grant.scope.agent ?? null,
    grant.durationSeconds,
    grant.source,
  ]);
  return viewPaths(stateDir, `env-${fastHash(key).slice(0, 32)}`);
}

type ViewDeps = Pick<Deps, 'platform' | 'user'>;

/**
 * Writes config, an empty credentials file and view.json: 0600 files, each atomically, in a view dir that is
 * created 0700 or verified, as are `agents/` and the root (a view another user could swap would run their
 * code through its credential_process). A state dir that cannot hold them is E_STATE_DIR: unlike the session
 * cache, a view is the command's product; one that is not the user's is E_STATE_DIR_UNSAFE.
 */
export function writeAgentView(
  paths: AgentViewPaths,
  configText: string,
  meta: AgentViewMeta,
  deps: ViewDeps,
  warn?: (m: string) => void,
): void {
  let target = paths.dir;
  translateFileErrors(
    () => {
      ensureOwnPath(paths.root, [AGENTS_DIR, paths.key], deps.user, { create: true, ...(warn ? { warn } : {}) });
      target = paths.configFile;
      writeFileAtomic(paths.dir, 'config', configText, deps.platform);
      // Empty on purpose: with AWS_SHARED_CREDENTIALS_FILE pointing here, the agent's tools never see long-term keys.
      target = paths.credentialsFile;
      writeFileAtomic(paths.dir, 'credentials', '', deps.platform);
      target = paths.metaFile;
      writeFileAtomic(paths.dir, 'view.json', `${JSON.stringify(meta, null, 2)}\n`, deps.platform);
    },
    (error) => stateDirError('write the agent view', target, error),
  );
}

/** Another file of the view (env-file mode's `env.sh`), 0600, atomically: only after writeAgentView verified its dir. */
export function writeAgentViewFile(paths: AgentViewPaths, name: string, text: string, deps: ViewDeps): void {
  translateFileErrors(
    () => writeFileAtomic(paths.dir, name, text, deps.platform),
    (error) => stateDirError('write the agent view', join(paths.dir, name), error),
  );
}

/** view.json of a view whose directories are trusted (checked here, nothing created); undefined when absent. */
export function readAgentViewMeta(paths: AgentViewPaths, deps: ViewDeps): AgentViewMeta | undefined {
  if (ensureOwnPath(paths.root, [AGENTS_DIR, paths.key], deps.user, { create: false }) === undefined) return undefined;
  try {
    const parsed = JSON.parse(readTextNoFollow(paths.metaFile)) as AgentViewMeta;
    return parsed?.version === 1 && Array.isArray(parsed.profiles) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
/**
 * The view of the project `dir` belongs to: Claude Code keeps settings.local.json at the git root but gives hooks
 * and the statusLine the directory it was started in (docs/reference/claude-code-observed.md §3, §5), so walk up
 * from there to the nearest directory with a view, stopping at the git root (a `.git` entry) or the filesystem root.
 * At each level the state dir's view wins over one an earlier swrole wrote in the cache dir (settings written then
 * still point at it; it is replaced by the next `agent claude`).
 */
export function findProjectView(
  deps: ViewDeps & Pick<Deps, 'env' | 'homedir'>,
  dir: string,
): { project: string; paths: AgentViewPaths; meta: AgentViewMeta } | undefined {
  const dirs = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  const roots = [dirs.stateDir, dirs.legacyStateDir].filter((root): root is string => root !== undefined);
  for (let current = resolve(dir), depth = 0; depth < 64; depth++) {
    for (const root of roots) {
      const paths = projectViewPaths(root, current);
      const meta = readAgentViewMeta(paths, deps);
      if (meta !== undefined) return { project: current, paths, meta };
    }
    if (existsSync(join(current, '.git'))) return undefined;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** The project views under `stateDir` (for the settings swrole shares between them, e.g. Bedrock's). */
export function listProjectViews(stateDir: string, deps: ViewDeps): AgentViewMeta[] {
  let names: string[];
  try {
    names = readdirSync(join(stateDir, AGENTS_DIR));
  } catch {
    return [];
  }
  return names
    .filter((name) => !name.startsWith('env-'))
    .map((name) => readAgentViewMeta(viewPaths(stateDir, name), deps))
    .filter((meta): meta is AgentViewMeta => meta !== undefined);
}

/** PURE: the first two words (node, swrole) of a `credential_process` command as renderCredentialProcessCommand writes them. */
export function commandPrograms(command: string): string[] {
  const words: string[] = [];
  const re = /\s*((?:'(?:[^']|'\\'')*'|[^\s'])+)/y;
  let m: RegExpExecArray | null;
  while (words.length < 2 && (m = re.exec(command)) !== null) {
    words.push(m[1]!.replace(/'\\''/g, "'").replace(/^'|'$/g, ''));
  }
  return words;
}

/**
 * The project views whose credential_process calls a program (node, swrole) by an absolute path that is gone (a node
 * upgrade through a version manager removes the old one): those agents get no AWS credentials, and swrole's hooks
 * in their settings, which call the same paths, fail open. `agent claude` warns about them.
 */
export function viewsWithMissingPrograms(
  stateDir: string,
  deps: ViewDeps,
  exists: (path: string) => boolean = existsSync,
): Array<{ project: string; missing: string }> {
  const found: Array<{ project: string; missing: string }> = [];
  for (const meta of listProjectViews(stateDir, deps)) {
    if (meta.project === null) continue;
    let config: string;
    try {
      config = readTextNoFollow(projectViewPaths(stateDir, meta.project).configFile);
    } catch {
      continue;
    }
    const command = /^credential_process = (.*)$/m.exec(config)?.[1];
    const missing = command === undefined ? undefined : commandPrograms(command).find((p) => p.startsWith('/') && !exists(p));
    if (missing !== undefined) found.push({ project: meta.project, missing });
  }
  return found;
}

/** Deletes the view (its dirs checked first, so nothing but our own is removed); true when there was one. */
export function removeAgentView(paths: AgentViewPaths, deps: ViewDeps): boolean {
  const existed = readAgentViewMeta(paths, deps) !== undefined;
  translateFileErrors(
    () => {
      if (ensureOwnPath(paths.root, [AGENTS_DIR], deps.user, { create: false }) === undefined) return;
      try {
        rmSync(paths.dir, { recursive: true, force: true });
      } catch (error) {
        // Under a plain file there is no view to delete.
        if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
      }
    },
    (error) => stateDirError('delete the agent view', paths.dir, error, ''),
  );
  return existed;
}

/** Variables the launching shell may hold that would beat the view (key variables win over profiles in every SDK). */
export const SHADOWING_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
] as const;

/**
 * The variables that point a process at the view, and neutralise what the launching shell may hold: key variables
 * blanked (`""` counts as unset in botocore, the CLI and the JS SDK; Claude Code passes it through) and
 * AWS_DEFAULT_PROFILE set to the same profile (botocore prefers it to AWS_PROFILE; an empty one breaks it).
 * `defaultProfile` is the profile's name inside the view (viewProfileName).
 */
export function viewEnv(paths: AgentViewPaths, defaultProfile: string): Record<string, string> {
  const blanks = Object.fromEntries(SHADOWING_KEYS.map((name) => [name, '']));
  return {
    AWS_CONFIG_FILE: paths.configFile,
    AWS_SHARED_CREDENTIALS_FILE: paths.credentialsFile,
    AWS_PROFILE: defaultProfile,
    AWS_DEFAULT_PROFILE: defaultProfile,
    ...blanks,
  };
}
