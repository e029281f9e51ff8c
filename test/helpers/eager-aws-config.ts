/**
 * The reference for src/config/load-aws-config.ts: swrole's loader as it was before it read sections on demand
 * (issue 16), parsing both files whole. The equivalence test (test/unit/config-lazy-load.test.ts) holds the lazy
 * loader to it on the botocore corpus, generated pairs and edge cases; botocore holds both (botocore-diff).
 */
import { readFileSync } from 'node:fs';
import type { Deps } from '../../src/platform/deps.js';
import type { AwsConfig, ConfigSection, ConfigWarning, Profile } from '../../src/config/types.js';
import { SwroleError } from '../../src/errors.js';
import { parseIniDocument } from '../../src/config/ini-document.js';
import { readSections } from '../../src/config/read-sections.js';
import { buildConfigFileMap, credentialsFileWarnings } from '../../src/config/build-profile-map.js';
import { decodeConfigText } from '../../src/config/decode-config-text.js';
import { resolveConfigFilePath } from '../../src/config/load-aws-config.js';

interface AwsConfigFiles {
  configFile?: string;
  credentialsFile?: string;
}

export function loadAwsConfigEager(deps: Pick<Deps, 'env' | 'homedir'>, files: AwsConfigFiles = {}): AwsConfig {
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
    ...credentialsFileWarnings(credentialsFile, credentialsRead.sections),
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
