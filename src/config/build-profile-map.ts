/**
 * botocore configloader.py `build_profile_map` for the config file: `[profile x]`, `[sso-session x]`,
 * `[services x]` names go through shlex and count only with exactly two tokens; `[default]` is a
 * profile; a later section of the same name replaces an earlier one wholesale (dict assignment).
 * Also the warnings for headers the AWS SDK for JS or a human reads differently (docs/reference/aws-behaviour.md §1.2).
 */
import type { ConfigSection, ConfigValue, ConfigWarning, IgnoredSection } from './types.js';
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
  const named = nameConfigSections(sections[0]?.file ?? '', sections, (section) => section.values);
  const renamed = (m: Map<string, ConfigSection>) =>
    new Map([...m].map(([name, s]) => [name, { name, file: s.file, line: s.line, values: s.values, keyLines: s.keyLines }]));
  return {
    profiles: renamed(named.profiles),
    ssoSessions: renamed(named.ssoSessions),
    services: renamed(named.services),
    ignored: named.ignored,
    warnings: named.warnings,
  };
}

/** What botocore makes of one config-file header: a profile, sso-session or services name, or nothing. */
export type SectionRole =
  | { kind: 'profile' | 'sso-session' | 'services'; name: string }
  | { kind: 'default' }
  | { kind: 'ignored'; prefix: Prefix }
  | { kind: 'other' };

export function configSectionRole(raw: string): SectionRole {
  const prefix = prefixOf(raw);
  if (prefix === undefined) return raw === 'default' ? { kind: 'default' } : { kind: 'other' };
  const tokens = SIMPLE_HEADER.test(raw) ? raw.split(' ') : shlexSplit(raw);
  const name = tokens?.length === 2 ? tokens[1] : undefined;
  return name === undefined ? { kind: 'ignored', prefix } : { kind: prefix, name };
}

/** botocore's three maps over any kind of section (each name → the LAST section of that name), in first-seen order. */
export interface NamedSections<S> {
  profiles: Map<string, S>;
  ssoSessions: Map<string, S>;
  services: Map<string, S>;
  ignored: IgnoredSection[];
  /** Only when `valuesOf` was given (W_NOT_A_PROFILE needs a section's keys). */
  warnings: ConfigWarning[];
}

/**
 * build_profile_map over the headers of one config file. `valuesOf`, when given, is asked only for the
 * sections that are neither profiles nor sso-sessions nor services, and turns the header warnings on.
 */
export function nameConfigSections<S extends { name: string; line: number }>(
  file: string,
  sections: readonly S[],
  valuesOf?: (section: S) => Readonly<Record<string, ConfigValue>>,
): NamedSections<S> {
  const map: NamedSections<S> = { profiles: new Map(), ssoSessions: new Map(), services: new Map(), ignored: [], warnings: [] };
  const warn = valuesOf !== undefined;
  let defaultHeader: S | undefined;
  let profileDefaultHeader: S | undefined;
  for (const section of sections) {
    const raw = section.name;
    const role = configSectionRole(raw);
    if (role.kind === 'default') {
      defaultHeader = section;
      map.profiles.set('default', section);
      continue;
    }
    if (role.kind === 'other') {
      if (warn && Object.keys(valuesOf(section)).some((k) => PROFILE_KEYS.test(k))) {
        map.warnings.push(
          createConfigWarning(
            'W_NOT_A_PROFILE',
            file,
            section.line,
            `[${raw}] is not a profile in the config file (only in the credentials file); write [profile ${quoteIfNeeded(pyStrip(raw))}]`,
          ),
        );
      }
      continue;
    }
    if (role.kind === 'ignored') {
      const ignored = ignoredSection(file, section, role.prefix);
      map.ignored.push(ignored);
      if (warn) {
        map.warnings.push(
          createConfigWarning(
            'W_IGNORED_SECTION',
            file,
            section.line,
            `[${raw}] is ignored by the AWS CLI and SDKs${ignored.fix ? `; write ${ignored.fix}` : ''}`,
          ),
        );
      }
      continue;
    }
    const { kind: prefix, name } = role;
    const target = prefix === 'profile' ? map.profiles : prefix === 'sso-session' ? map.ssoSessions : map.services;
    target.set(name, section);
    if (prefix === 'profile' && name === 'default') profileDefaultHeader = section;
    if (warn && sdkJsName(raw, prefix) !== name) {
      map.warnings.push(
        createConfigWarning(
          'W_SDK_IGNORES_SECTION',
          file,
          section.line,
          `[${raw}] is read by the AWS CLI as ${prefix} "${name}" but ignored by the AWS SDK for JS (names there may only use letters, digits and - _ @ + . % : /)`,
        ),
      );
    }
  }
  if (warn && defaultHeader && profileDefaultHeader) {
    const later = defaultHeader.line > profileDefaultHeader.line ? defaultHeader : profileDefaultHeader;
    map.warnings.push(
      createConfigWarning(
        'W_DEFAULT_TWICE',
        file,
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

function ignoredSection(file: string, section: { name: string; line: number }, prefix: string): IgnoredSection {
  const intendedName = pyStrip(section.name.slice(prefix.length));
  const canQuote = intendedName !== '' && !/["\\]/.test(intendedName);
  return {
    file,
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
export function credentialsFileWarnings(file: string, sections: readonly { name: string; line: number }[]): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const section of sections) {
    const tokens = section.name.startsWith('profile') ? shlexSplit(section.name) : undefined;
    if (tokens?.length === 2 && tokens[0] === 'profile') {
      warnings.push(
        createConfigWarning(
          'W_CREDENTIALS_PROFILE_PREFIX',
          file,
          section.line,
          `[${section.name}] in the credentials file is a profile named "${section.name}"; write [${tokens[1]}] (the "profile " prefix belongs in the config file only)`,
        ),
      );
    }
  }
  return warnings;
}
