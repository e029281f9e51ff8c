/**
 * botocore configloader.py `build_profile_map` for the config file: `[profile x]`, `[sso-session x]`,
 * `[services x]` names go through shlex and count only with exactly two tokens; `[default]` is a
 * profile; a later section of the same name replaces an earlier one wholesale (dict assignment).
 * Also the warnings for headers the AWS SDK for JS or a human reads differently (docs/reference/aws-behaviour.md §1.2).
 */
import type { ConfigSection, ConfigWarning, IgnoredSection } from './types.js';
import { createConfigWarning } from './config-warning.js';
import { shlexSplit } from './shlex-split.js';
import { pyStrip } from './py-text.js';

export interface ConfigFileMap {
  profiles: Map<string, ConfigSection>;
  ssoSessions: Map<string, ConfigSection>;
  services: Map<string, ConfigSection>;
  ignored: IgnoredSection[];
  warnings: ConfigWarning[];
}

/** `profile name` with nothing shlex would treat specially: split without the tokenizer (hot path). */
const SIMPLE_HEADER = /^[a-z-]+ [^\s"'\\]+$/;

type Prefix = 'profile' | 'sso-session' | 'services';

/** smithy shared-ini-file-loader parseIni.ts: what the SDK for JS accepts as `[prefix name]`. */
const SDK_JS_HEADER = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;

/** Keys that only make sense in a profile: a config-file `[foo]` holding them was meant as one. */
const PROFILE_KEYS =
  /^(aws_access_key_id|aws_secret_access_key|aws_session_token|role_arn|source_profile|credential_source|credential_process|mfa_serial|region|sso_\w+|web_identity_token_file|output)$/;

export function buildConfigFileMap(sections: readonly ConfigSection[]): ConfigFileMap {
  const map: ConfigFileMap = { profiles: new Map(), ssoSessions: new Map(), services: new Map(), ignored: [], warnings: [] };
  let defaultHeader: ConfigSection | undefined;
  let profileDefaultHeader: ConfigSection | undefined;
  for (const section of sections) {
    const raw = section.name;
    const prefix = prefixOf(raw);
    if (prefix === undefined) {
      if (raw === 'default') {
        defaultHeader = section;
        map.profiles.set('default', section);
      } else if (Object.keys(section.values).some((k) => PROFILE_KEYS.test(k))) {
        map.warnings.push(
          createConfigWarning(
            'W_NOT_A_PROFILE',
            section.file,
            section.line,
            `[${raw}] is not a profile in the config file (only in the credentials file); write [profile ${quoteIfNeeded(pyStrip(raw))}]`,
          ),
        );
      }
      continue;
    }
    const tokens = SIMPLE_HEADER.test(raw) ? raw.split(' ') : shlexSplit(raw);
    const name = tokens?.length === 2 ? tokens[1] : undefined;
    if (name === undefined) {
      map.ignored.push(ignoredSection(section, prefix));
      const fix = map.ignored[map.ignored.length - 1]?.fix;
      map.warnings.push(
        createConfigWarning(
          'W_IGNORED_SECTION',
          section.file,
          section.line,
          `[${raw}] is ignored by the AWS CLI and SDKs${fix ? `; write ${fix}` : ''}`,
        ),
      );
      continue;
    }
    const target = prefix === 'profile' ? map.profiles : prefix === 'sso-session' ? map.ssoSessions : map.services;
    target.set(name, { name, file: section.file, line: section.line, values: section.values, keyLines: section.keyLines });
    if (prefix === 'profile' && name === 'default') profileDefaultHeader = section;
    if (sdkJsName(raw, prefix) !== name) {
      map.warnings.push(
        createConfigWarning(
          'W_SDK_IGNORES_SECTION',
          section.file,
          section.line,
          `[${raw}] is read by the AWS CLI as ${prefix} "${name}" but ignored by the AWS SDK for JS (names there may only use letters, digits and - _ @ + . % : /)`,
        ),
      );
    }
  }
  if (defaultHeader && profileDefaultHeader) {
    const later = defaultHeader.line > profileDefaultHeader.line ? defaultHeader : profileDefaultHeader;
    map.warnings.push(
      createConfigWarning(
        'W_DEFAULT_TWICE',
        later.file,
        later.line,
        `both [default] and [profile default] exist: the AWS CLI uses the later one (line ${later.line}), the AWS SDK for JS always [profile default]; keep only one`,
      ),
    );
  }
  return map;
}

function prefixOf(raw: string): Prefix | undefined {
  if (raw.startsWith('profile')) return 'profile';
  if (raw.startsWith('sso-session')) return 'sso-session';
  return raw.startsWith('services') ? 'services' : undefined;
}

function sdkJsName(raw: string, prefix: string): string | undefined {
  const match = SDK_JS_HEADER.exec(raw);
  return match && match[1] === prefix ? match[3] : undefined;
}

function ignoredSection(section: ConfigSection, prefix: string): IgnoredSection {
  const intendedName = pyStrip(section.name.slice(prefix.length));
  const canQuote = intendedName !== '' && !/["\\]/.test(intendedName);
  return {
    file: section.file,
    line: section.line,
    header: section.name,
    intendedName,
    fix: canQuote ? `[${prefix} "${intendedName}"]` : undefined,
  };
}

function quoteIfNeeded(name: string): string {
  return /[\s"'\\]/.test(name) && !name.includes('"') ? `"${name}"` : name;
}

/** Credentials-file headers are raw names: `[profile x]` there is a profile called "profile x". */
export function credentialsFileWarnings(sections: readonly ConfigSection[]): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const section of sections) {
    const tokens = section.name.startsWith('profile') ? shlexSplit(section.name) : undefined;
    if (tokens?.length === 2 && tokens[0] === 'profile') {
      warnings.push(
        createConfigWarning(
          'W_CREDENTIALS_PROFILE_PREFIX',
          section.file,
          section.line,
          `[${section.name}] in the credentials file is a profile named "${section.name}"; write [${tokens[1]}] (the "profile " prefix belongs in the config file only)`,
        ),
      );
    }
  }
  return warnings;
}
