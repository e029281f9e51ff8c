import { applyEnvPart, removeEnvPart } from './claude-settings-env.js';
import { applyHooksPart, removeHooksPart } from './claude-settings-hooks.js';
import { applyOwnedMemberPart, removeOwnedMemberPart } from './claude-settings-member.js';
import { applyPermissionsPart, removePermissionsPart } from './claude-settings-permissions.js';
import { DEFAULT_SETTINGS_FILE, type AppliedRecord, type ApplyOptions, type SettingsAdditions } from './claude-settings-record.js';
import { rootObject, splice } from './claude-settings-text.js';

export type { AppliedEntry, AppliedHook, AppliedRecord, ApplyOptions, SettingsAdditions } from './claude-settings-record.js';

/** The root held nothing before swrole's first insert: put back its exact inner bytes once it is empty again. */
function restoreEmptyRoot(text: string, record: AppliedRecord, file: string): string {
  const root = rootObject(text, file);
  if (root.members.length > 0 || record.rootEmptyInner === undefined) return text;
  return splice(text, root.start + 1, root.end - 1, record.rootEmptyInner);
}

/**
 * PURE: puts swrole's `env` variables, hook groups, statusLine and awsCredentialExport into a Claude Code settings text by patching
 * it in place (every other byte kept), and returns the record of exactly what was added or replaced. `text`
 * undefined means a new file. With `prior`, what swrole already owns stays owned, so one remove undoes all.
 * Hook groups and the statusLine follow this apply: those of `prior` not asked for again are taken back.
 */
export function applyToSettings(
  text: string | undefined,
  additions: SettingsAdditions,
  owner: 'swrole',
  options: ApplyOptions = {},
): { text: string; record: AppliedRecord } {
  const file = options.file ?? DEFAULT_SETTINGS_FILE;
  const prior = options.prior;
  const record: AppliedRecord =
    prior === undefined ? { version: 1, owner, entries: [], createdEnv: false } : structuredClone({ ...prior, owner });
  let out = applyEnvPart(text ?? '{}\n', additions.vars, record, prior, file);
  out = applyHooksPart(out, additions.hooks ?? [], record, prior, file);
  out = applyOwnedMemberPart(out, 'statusLine', additions.statusLine, record, prior, file);
  out = applyOwnedMemberPart(out, 'awsCredentialExport', additions.awsCredentialExport, record, prior, file);
  out = applyOwnedMemberPart(out, 'sandbox', additions.sandbox, record, prior, file);
  out = applyPermissionsPart(out, additions.denyRules ?? [], record, prior, file);
  return { text: restoreEmptyRoot(out, record, file), record };
}

/** PURE: `applyToSettings` with env variables only. */
export function applyEnvToSettings(
  text: string | undefined,
  vars: Record<string, string>,
  owner: 'swrole',
  options: ApplyOptions = {},
): { text: string; record: AppliedRecord } {
  return applyToSettings(text, { vars }, owner, options);
}

/**
 * PURE: takes back what `record` says swrole added or replaced, newest first. Anything someone changed since is
 * left alone and named in `skipped` (`env.KEY`, `hooks.EVENT (...)`, `statusLine`). When nothing else changed,
 * the result is the original bytes.
 */
export function removeFromSettings(text: string, record: AppliedRecord, file = DEFAULT_SETTINGS_FILE): { text: string; skipped: string[] } {
  const skipped: string[] = [];
  const work = structuredClone(record);
  let out = removePermissionsPart(text, work, file, skipped);
  out = removeOwnedMemberPart(out, 'sandbox', work, file, skipped);
  out = removeOwnedMemberPart(out, 'awsCredentialExport', work, file, skipped);
  out = removeOwnedMemberPart(out, 'statusLine', work, file, skipped);
  out = removeHooksPart(out, work, file, skipped);
  out = removeEnvPart(out, work, file, skipped);
  return { text: restoreEmptyRoot(out, work, file), skipped };
}
