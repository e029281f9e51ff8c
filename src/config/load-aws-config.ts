/**
 * Reads ~/.aws/config and ~/.aws/credentials the way botocore's `Session.full_config` does
 * (docs/reference/aws-behaviour.md §1.1–1.4): config-file profiles, then every credentials-file section
 * merged into the profile of the same raw name, credentials keys overriding per key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import type { AwsConfig, ConfigSection, ConfigWarning, Profile } from './types.js';
import { SwroleError } from '../errors.js';
import { parseIniDocument } from './ini-document.js';
import { readSections } from './read-sections.js';
import { buildConfigFileMap, credentialsFileWarnings } from './build-profile-map.js';
import { decodeConfigText } from './decode-config-text.js';
import { expandUser, expandVars } from './expand-path.js';

export interface AwsConfigFiles {
  configFile?: string;
  credentialsFile?: string;
}

export function loadAwsConfig(deps: Pick<Deps, 'env' | 'homedir'>, files: AwsConfigFiles = {}): AwsConfig {
  const configFile = resolveConfigFilePath(deps, 'AWS_CONFIG_FILE', files.configFile, 'config');
  const credentialsFile = resolveConfigFilePath(deps, 'AWS_SHARED_CREDENTIALS_FILE', files.credentialsFile, 'credentials');

  const configRead = readFileSections(configFile);
  const credentialsRead = readFileSections(credentialsFile);
  const map = buildConfigFileMap(configRead.sections);

  const profiles = new Map<string, Profile>();
  for (const [name, section] of map.profiles) {
    profiles.set(name, { name, values: section.values, config: section, credentials: undefined });
  }
  // session.py full_config: `profiles[name].update(cred_vars)`; a credentials-only section is a new profile.
  for (const section of credentialsRead.sections) {
    const existing = profiles.get(section.name);
    profiles.set(section.name, {
      name: section.name,
      values: existing ? { ...existing.values, ...section.values } : section.values,
      config: existing?.config,
      credentials: section,
    });
  }

  const warnings: ConfigWarning[] = [
    ...configRead.warnings,
    ...map.warnings,
    ...credentialsRead.warnings,
    ...credentialsFileWarnings(credentialsRead.sections),
  ];
  return {
    configFile,
    credentialsFile,
    profiles,
    ssoSessions: map.ssoSessions,
    services: map.services,
    warnings,
    ignoredSections: map.ignored,
  };
}

/**
 * Explicit path > env var (empty = unset) > ~/.aws/<name>, then botocore's expandvars + expanduser.
 */
export function resolveConfigFilePath(
  deps: Pick<Deps, 'env' | 'homedir'>,
  envName: 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE',
  explicit: string | undefined,
  defaultName: 'config' | 'credentials',
): string {
  const fromEnv = deps.env[envName];
  const chosen = explicit || fromEnv || undefined;
  if (chosen === undefined) return join(deps.homedir, '.aws', defaultName);
  return expandUser(expandVars(chosen, deps.env), deps.homedir);
}

function readFileSections(file: string): { sections: ConfigSection[]; warnings: ConfigWarning[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // botocore: a missing file is simply not there (ConfigNotFound is swallowed).
    if (code === 'ENOENT' || code === 'ENOTDIR') return { sections: [], warnings: [] };
    const what = code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new SwroleError('E_CONFIG_READ', `${file} ${what}`, {
      hint: code === 'EISDIR' ? 'point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a file' : 'check the file permissions',
      cause,
    });
  }
  return readSections(parseIniDocument(decodeConfigText(bytes, file), file));
}
