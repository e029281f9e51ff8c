import type { JsonValue } from './claude-settings-text.js';

/**
 * Exactly what swrole put into a settings file, so that `--remove` takes back that and nothing else. The record
 * can hold secrets (keys mode, or a user's own previous `env` values), so it is stored 0600 under the state dir.
 */
export interface AppliedEntry {
  key: string;
  value: string;
  /** The raw JSON text of a value swrole replaced (absent: swrole added the key). */
  previous?: string;
}

/** A matcher group swrole appended to `hooks[event]` (hooks.md: {matcher?, hooks: [{type, command}]}). */
export interface AppliedHook {
  event: string;
  group: { [key: string]: JsonValue };
}

export interface AppliedRecord {
  version: 1;
  owner: 'swrole';
  entries: AppliedEntry[];
  /** swrole created the `env` member itself: remove it again once it holds nothing else. */
  createdEnv: boolean;
  /** The bytes between `{` and `}` of an object that was empty before swrole inserted into it. */
  rootEmptyInner?: string;
  envEmptyInner?: string;
  /** swrole created the file (set by the editor): delete it again when it ends up empty. */
  createdFile?: boolean;
  hooks?: AppliedHook[];
  /** swrole created the top-level `hooks` object / these `hooks[event]` arrays. */
  createdHooks?: boolean;
  createdEvents?: string[];
  hooksEmptyInner?: string;
  /** event → the bytes between `[` and `]` of a `hooks[event]` array that was empty before swrole appended. */
  eventEmptyInner?: Record<string, string>;
  /** The `statusLine` swrole added (it never replaces the user's own). */
  statusLine?: { [key: string]: JsonValue };
  /** The `awsCredentialExport` swrole added to the user settings for Bedrock (never replacing the user's own). */
  awsCredentialExport?: string;
  /** The `sandbox` block swrole added for `agent claude --contain` (never replacing the user's own). */
  sandbox?: { [key: string]: JsonValue };
  /** The rules swrole appended to `permissions.deny` (`--contain`), and the containers it created for them. */
  denyRules?: string[];
  createdPermissions?: boolean;
  createdDeny?: boolean;
  permissionsEmptyInner?: string;
  denyEmptyInner?: string;
}

/** What an apply asks for: env variables, hook groups, a statusLine, Bedrock's awsCredentialExport. */
export interface SettingsAdditions {
  vars: Record<string, string>;
  hooks?: AppliedHook[];
  statusLine?: { [key: string]: JsonValue };
  awsCredentialExport?: string;
  sandbox?: { [key: string]: JsonValue };
  denyRules?: string[];
}

export interface ApplyOptions {
  /** Names the file in errors. */
  file?: string;
  /** The record of an earlier apply on this file: what swrole already owns stays owned (and keeps `previous`). */
  prior?: AppliedRecord;
}

export const DEFAULT_SETTINGS_FILE = '.claude/settings.local.json';

/**
 * PURE: which of `keys` an apply replaced while they held a value of the user's (not swrole's, not empty): the keys
 * of the old jq workaround, said aloud when swrole takes the file over; the record keeps them for `--remove`.
 */
export function replacedKeys(record: AppliedRecord | undefined, keys: readonly string[]): string[] {
  return (record?.entries ?? [])
    .filter((e) => keys.includes(e.key) && e.previous !== undefined && e.previous.trim() !== '""')
    .map((e) => e.key);
}
