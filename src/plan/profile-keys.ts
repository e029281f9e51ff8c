import type { ConfigSection, ConfigValue, Profile } from '../config/types.js';
import { stringValue } from '../config/types.js';
import { setOwn } from '../config/set-own.js';

type Values = Readonly<Record<string, ConfigValue>>;

/** botocore tests key presence (`'role_arn' in profile`), not truthiness; an empty value counts. */
export function hasKey(values: Values, key: string): boolean {
  return Object.hasOwn(values, key);
}

/** `AssumeRoleProvider._has_assume_role_config_vars`: role_arn present and no web_identity_token_file. */
export function isAssumeRoleProfile(profile: Profile): boolean {
  return hasKey(profile.values, 'role_arn') && !hasKey(profile.values, 'web_identity_token_file');
}

/** `_has_static_credentials`: either key (merged view) makes a source profile "static" (§2.1). */
export function hasStaticKeys(profile: Profile): boolean {
  return hasKey(profile.values, 'aws_access_key_id') || hasKey(profile.values, 'aws_secret_access_key');
}

/** SharedCredentialProvider / ConfigProvider trigger on aws_access_key_id in their own file only (§1.4). */
export function sectionHasAccessKey(section: ConfigSection | undefined): section is ConfigSection {
  return section !== undefined && hasKey(section.values, 'aws_access_key_id');
}

/** A string value, or null when absent (or a nested sub-section, which botocore never uses here). */
export function optionalString(values: Values, key: string): string | null {
  return stringValue(values, key) ?? null;
}

/** botocore `int(duration_seconds)`, a non-integer silently ignored (§2.1). Python int() allows `+`, `-`, `_` between digits. */
export function parseDurationSeconds(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) return null;
  return Number(text.replace(/_/g, ''));
}

/** A comma-separated list, blanks dropped (`transitive_session_tags`, `swrole_session_policy_arns`). */
export function parseCommaList(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** aws-vault's `session_tags = k=v,k2=v2` (aws-vault USAGE.md); an item without `=` is skipped. */
export function parseSessionTags(value: string | null): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of parseCommaList(value)) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    setOwn(tags, item.slice(0, at).trim(), item.slice(at + 1).trim()); // `__proto__` is a valid tag key
  }
  return tags;
}
