/**
 * The shapes the config engine hands to everything else. Produced by load-aws-config.ts with
 * botocore's reading semantics (docs/reference/aws-behaviour.md §1.2–1.4).
 */

/** A value in a section: a string, or (botocore) a nested sub-section such as `s3 =\n  k = v`. */
export type ConfigValue = string | Readonly<Record<string, string>>;

export interface SourceLocation {
  file: string;
  /** 1-based line number. */
  line: number;
}

/** One section of one file, as botocore sees it (keys lower-cased, [DEFAULT] keys inherited). */
export interface ConfigSection {
  /** The name botocore gives it: profile name, sso-session name, services name. */
  name: string;
  file: string;
  /** Line of the `[header]`. */
  line: number;
  values: Readonly<Record<string, ConfigValue>>;
  /** Line of each key, for messages. */
  keyLines: Readonly<Record<string, number>>;
}

export interface Profile {
  name: string;
  /** botocore's `full_config` view: config-file keys, then credentials-file keys override per key. */
  values: Readonly<Record<string, ConfigValue>>;
  /** The section from the config file, if any. */
  config: ConfigSection | undefined;
  /** The section from the credentials file, if any. */
  credentials: ConfigSection | undefined;
}

export interface ConfigWarning {
  code: string;
  message: string;
  file: string;
  line: number;
}

export interface AwsConfig {
  configFile: string;
  credentialsFile: string;
  /** In file order: config-file profiles first, then credentials-only profiles. */
  profiles: ReadonlyMap<string, Profile>;
  ssoSessions: ReadonlyMap<string, ConfigSection>;
  services: ReadonlyMap<string, ConfigSection>;
  warnings: readonly ConfigWarning[];
  /** Config-file sections botocore silently ignores (e.g. unquoted `[profile Access CustomerA]`). */
  ignoredSections?: readonly IgnoredSection[];
}

export interface IgnoredSection extends SourceLocation {
  /** The raw header text between the brackets. */
  header: string;
  /** The profile/sso-session/services name the user most likely meant ('' when there is none). */
  intendedName: string;
  /** The header to write instead, e.g. `[profile "Access CustomerA"]`, when one can be suggested. */
  fix: string | undefined;
}

/** Returns a string value of a profile key, or undefined (nested sub-sections are not strings). */
export function stringValue(values: Readonly<Record<string, ConfigValue>>, key: string): string | undefined {
  const value = Object.hasOwn(values, key) ? values[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
