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
import { credentialsFileWarnings, nameConfigSections, type NamedSections } from './build-profile-map.js';
import { decodeConfigText } from './decode-config-text.js';
import { expandUser, expandVars } from './expand-path.js';
import { openIndexedConfigFile, type IndexedConfigFile } from './indexed-config-file.js';
import type { SectionSpan } from './index-ini-sections.js';
import { LazyMap } from './lazy-map.js';

export interface AwsConfigFiles {
  configFile?: string;
  credentialsFile?: string;
}

/**
 * Both files are checked whole (an error anywhere is botocore's error), but a profile, sso-session or services
 * section is read only when asked for (`profiles.get(name)`), and the warnings only when asked for: resolving
 * one profile of a 50,000-profile config costs one pass over the text and the few sections of its chain.
 * Iterating `profiles` reads each profile in turn and keeps only the last few (list streams).
 */
export function loadAwsConfig(deps: Pick<Deps, 'env' | 'homedir'>, files: AwsConfigFiles = {}): AwsConfig {
  const configFile = resolveConfigFilePath(deps, 'AWS_CONFIG_FILE', files.configFile, 'config');
  const credentialsFile = resolveConfigFilePath(deps, 'AWS_SHARED_CREDENTIALS_FILE', files.credentialsFile, 'credentials');

  const config = readIndexedFile(configFile);
  const credentials = readIndexedFile(credentialsFile);
  let named: NamedSections<SectionSpan> | undefined;
  const naming = () => (named ??= nameConfigSections(configFile, config.sections));

  type Entry = { config?: SectionSpan | undefined; credentials?: SectionSpan | undefined };
  const findProfile = (name: string): Entry | undefined => {
    const entry = { config: config.findProfile(name), credentials: credentials.findRaw(name) };
    return entry.config === undefined && entry.credentials === undefined ? undefined : entry;
  };
  // session.py full_config: config-file profiles, then `profiles[name].update(cred_vars)` for every
  // credentials-file section (a new profile when the config file has none of that name).
  const allProfiles = () => {
    const index = new Map<string, Entry>();
    for (const [name, span] of naming().profiles) index.set(name, { config: span });
    for (const span of credentials.sections) {
      const entry = index.get(span.name);
      if (entry === undefined) index.set(span.name, { credentials: span });
      else entry.credentials = span;
    }
    return index;
  };
  const configSection = (name: string, span: SectionSpan): ConfigSection => {
    const section = config.section(span);
    return { name, file: section.file, line: section.line, values: section.values, keyLines: section.keyLines };
  };
  const profiles = new LazyMap(findProfile, allProfiles, (name, entry): Profile => {
    const fromConfig = entry.config && configSection(name, entry.config);
    const fromCredentials = entry.credentials && credentials.section(entry.credentials);
    const values =
      fromConfig && fromCredentials
        ? { ...fromConfig.values, ...fromCredentials.values }
        : (fromConfig?.values ?? fromCredentials?.values ?? {});
    return { name, values, config: fromConfig, credentials: fromCredentials };
  });
  const namedMap = (kind: 'sso-session' | 'services') =>
    new LazyMap(
      (name: string) => config.findNamed(kind, name),
      () => (kind === 'sso-session' ? naming().ssoSessions : naming().services),
      configSection,
    );

  let warnings: ConfigWarning[] | undefined;
  return {
    configFile,
    credentialsFile,
    profiles,
    ssoSessions: namedMap('sso-session'),
    services: namedMap('services'),
    get warnings() {
      if (warnings === undefined) {
        // The same naming pass as naming(), with the header warnings on: list/explain do it once, not twice.
        const withWarnings = nameConfigSections(configFile, config.sections, (span) => config.section(span).values);
        named ??= withWarnings;
        warnings = [
          ...config.warnings(),
          ...withWarnings.warnings,
          ...credentials.warnings(),
          ...credentialsFileWarnings(credentialsFile, credentials.sections),
        ];
      }
      return warnings;
    },
    get ignoredSections() {
      return naming().ignored;
    },
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

function readIndexedFile(file: string): IndexedConfigFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // botocore: a missing file is simply not there (ConfigNotFound is swallowed).
    if (code === 'ENOENT' || code === 'ENOTDIR') return openIndexedConfigFile('', file);
    const what = code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new SwroleError('E_CONFIG_READ', `${file} ${what}`, {
      hint: code === 'EISDIR' ? 'point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a file' : 'check the file permissions',
      cause,
    });
  }
  return openIndexedConfigFile(decodeConfigText(bytes, file), file);
}
