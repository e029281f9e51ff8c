import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { ensurePrivateDir } from '../../platform/private-dir.js';
import { fastHash } from '../../platform/fast-hash.js';
import { projectKey } from '../../platform/project-key.js';
import { stateDirError, translateFileErrors } from '../../platform/file-system-error.js';
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
}

export interface AgentViewPaths {
  dir: string;
  configFile: string;
  credentialsFile: string;
  metaFile: string;
}

export function viewPaths(dir: string): AgentViewPaths {
  return { dir, configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials'), metaFile: join(dir, 'view.json') };
}

/** A project's view: keyed by the project's real path, so every spelling of it finds the same view. */
export function projectViewPaths(stateDir: string, projectDir: string): AgentViewPaths {
  return viewPaths(join(stateDir, 'agents', projectKey(projectDir)));
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
  return viewPaths(join(stateDir, 'agents', `env-${fastHash(key).slice(0, 32)}`));
}

/**
 * Writes config, an empty credentials file and view.json: 0600 files in a 0700 dir, each atomically.
 * A state dir that cannot hold them is E_STATE_DIR: unlike the session cache, a view is the command's product.
 */
export function writeAgentView(paths: AgentViewPaths, configText: string, meta: AgentViewMeta, platform: NodeJS.Platform): void {
  let target = paths.dir;
  translateFileErrors(
    () => {
      ensurePrivateDir(paths.dir, platform);
      target = paths.configFile;
      writeFileAtomic(paths.dir, 'config', configText, platform);
      // Empty on purpose: with AWS_SHARED_CREDENTIALS_FILE pointing here, the agent's tools never see long-term keys.
      target = paths.credentialsFile;
      writeFileAtomic(paths.dir, 'credentials', '', platform);
      target = paths.metaFile;
      writeFileAtomic(paths.dir, 'view.json', `${JSON.stringify(meta, null, 2)}\n`, platform);
    },
    (error) => stateDirError('write the agent view', target, error),
  );
}

/** Writes another file of the view (env-file mode's `env.sh`), 0600, atomically. */
export function writeAgentViewFile(paths: AgentViewPaths, name: string, text: string, platform: NodeJS.Platform): void {
  translateFileErrors(
    () => writeFileAtomic(paths.dir, name, text, platform),
    (error) => stateDirError('write the agent view', join(paths.dir, name), error),
  );
}

export function readAgentViewMeta(paths: AgentViewPaths): AgentViewMeta | undefined {
  try {
    const parsed = JSON.parse(readFileSync(paths.metaFile, 'utf8')) as AgentViewMeta;
    return parsed?.version === 1 && Array.isArray(parsed.profiles) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The view of the project `dir` belongs to: Claude Code keeps settings.local.json at the git root but gives hooks
 * and the statusLine the directory it was started in (docs/reference/claude-code-observed.md §3, §5), so walk up
 * from there to the nearest directory with a view, stopping at the git root (a `.git` entry) or the filesystem root.
 */
export function findProjectView(
  stateDir: string,
  dir: string,
): { project: string; paths: AgentViewPaths; meta: AgentViewMeta } | undefined {
  for (let current = resolve(dir), depth = 0; depth < 64; depth++) {
    const paths = projectViewPaths(stateDir, current);
    const meta = readAgentViewMeta(paths);
    if (meta !== undefined) return { project: current, paths, meta };
    if (existsSync(join(current, '.git'))) return undefined;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** The project views under `stateDir` (for the settings swrole shares between them, e.g. Bedrock's). */
export function listProjectViews(stateDir: string): AgentViewMeta[] {
  let names: string[];
  try {
    names = readdirSync(join(stateDir, 'agents'));
  } catch {
    return [];
  }
  return names
    .filter((name) => !name.startsWith('env-'))
    .map((name) => readAgentViewMeta(viewPaths(join(stateDir, 'agents', name))))
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
  exists: (path: string) => boolean = existsSync,
): Array<{ project: string; missing: string }> {
  const found: Array<{ project: string; missing: string }> = [];
  for (const meta of listProjectViews(stateDir)) {
    if (meta.project === null) continue;
    let config: string;
    try {
      config = readFileSync(projectViewPaths(stateDir, meta.project).configFile, 'utf8');
    } catch {
      continue;
    }
    const command = /^credential_process = (.*)$/m.exec(config)?.[1];
    const missing = command === undefined ? undefined : commandPrograms(command).find((p) => p.startsWith('/') && !exists(p));
    if (missing !== undefined) found.push({ project: meta.project, missing });
  }
  return found;
}

export function removeAgentView(paths: AgentViewPaths): boolean {
  const existed = readAgentViewMeta(paths) !== undefined;
  translateFileErrors(
    () => {
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
