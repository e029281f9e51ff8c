import { readFileSync } from 'node:fs';
import { join, posix, win32 } from 'node:path';
import type { Deps } from '../../platform/deps.js';

/**
 * Claude Code's settings files, highest precedence first (docs/reference/agents.md §1.1): managed, then the
 * project's local file at the git root, the shared project file in the launch directory, and the user's file.
 * A variable in any file's `env` also reaches Claude Code's own process (its Bedrock client) and every
 * subprocess, and beats the shell the session was started from.
 */
export type SettingsLayerName = 'managed' | 'local' | 'project' | 'user';

export interface SettingsLayer {
  name: SettingsLayerName;
  file: string;
  /** The file's `env` (string values only; a missing or unreadable file has none). */
  env: Readonly<Record<string, string>>;
  /** Its `awsCredentialExport` command, if any. */
  awsCredentialExport: string | undefined;
}

/** Where the user's Claude Code settings live: `$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`. */
export function userSettingsFile(deps: Pick<Deps, 'env' | 'homedir' | 'platform'>): string {
  const dir = deps.env.CLAUDE_CONFIG_DIR || (deps.platform === 'win32' ? win32 : posix).join(deps.homedir, '.claude');
  return (deps.platform === 'win32' ? win32 : posix).join(dir, 'settings.json');
}

/** The managed-settings file of the platform (managed-settings.md). */
export function managedSettingsFile(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '/Library/Application Support/ClaudeCode/managed-settings.json';
  if (platform === 'win32') return 'C:\\Program Files\\ClaudeCode\\managed-settings.json';
  return '/etc/claude-code/managed-settings.json';
}

/** The files, highest precedence first. `projectRoot` is the git root, `launchDir` where Claude Code starts. */
export function settingsLayerFiles(
  deps: Pick<Deps, 'env' | 'homedir' | 'platform'>,
  projectRoot: string,
  launchDir: string = projectRoot,
): Array<{ name: SettingsLayerName; file: string }> {
  return [
    { name: 'managed', file: managedSettingsFile(deps.platform) },
    { name: 'local', file: join(projectRoot, '.claude', 'settings.local.json') },
    { name: 'project', file: join(launchDir, '.claude', 'settings.json') },
    { name: 'user', file: userSettingsFile(deps) },
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one layer leniently: detection must not fail because a file is missing or not strict JSON. */
export function readSettingsLayer(name: SettingsLayerName, file: string): SettingsLayer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    parsed = undefined;
  }
  const env: Record<string, string> = {};
  const rawEnv = isRecord(parsed) ? parsed.env : undefined;
  if (isRecord(rawEnv)) for (const [key, value] of Object.entries(rawEnv)) if (typeof value === 'string') env[key] = value;
  const exportCommand = isRecord(parsed) && typeof parsed.awsCredentialExport === 'string' ? parsed.awsCredentialExport : undefined;
  return { name, file, env, awsCredentialExport: exportCommand || undefined };
}

export function readSettingsLayers(files: ReadonlyArray<{ name: SettingsLayerName; file: string }>): SettingsLayer[] {
  return files.map(({ name, file }) => readSettingsLayer(name, file));
}

/** Where a variable's effective value comes from: the highest settings layer that sets it, else the shell. */
export interface EffectiveSetting {
  value: string;
  /** A settings file, or "the environment" (the shell that runs swrole, as a stand-in for the one starting Claude Code). */
  from: string;
}

export function effectiveVariable(
  layers: readonly SettingsLayer[],
  shellEnv: Readonly<Record<string, string | undefined>>,
  name: string,
): EffectiveSetting | undefined {
  for (const layer of layers) {
    if (Object.hasOwn(layer.env, name)) return { value: layer.env[name]!, from: layer.file };
  }
  const value = shellEnv[name];
  return value === undefined ? undefined : { value, from: 'the environment' };
}
