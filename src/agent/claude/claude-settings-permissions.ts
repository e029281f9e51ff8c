import { findMember } from '../../integrations/json-document.js';
import {
  arrayMember,
  deleteElement,
  deleteMember,
  insertElement,
  insertMember,
  objectMember,
  rootObject,
  splice,
} from './claude-settings-text.js';
import type { AppliedRecord } from './claude-settings-record.js';

const HINT =
  'Claude Code expects "permissions" to be an object and "permissions.deny" an array of rule strings (permissions.md); fix the file by hand';

function denyArray(text: string, file: string) {
  const root = rootObject(text, file);
  const permissions = objectMember(root, 'permissions', file, HINT);
  const deny = permissions === undefined ? undefined : arrayMember(permissions.value, 'deny', file, HINT);
  return { root, permissions, deny };
}

const indexOfRule = (text: string, deny: ReturnType<typeof denyArray>['deny'], rule: string): number =>
  deny === undefined ? -1 : deny.value.elements.findIndex((el) => text.slice(el.start, el.end) === JSON.stringify(rule));

/** Appends one rule to `permissions.deny`, creating what is missing, and notes what it created. */
function addRule(text: string, rule: string, record: AppliedRecord, file: string): string {
  const { root, permissions, deny } = denyArray(text, file);
  if (permissions === undefined) {
    if (root.members.length === 0) record.rootEmptyInner ??= text.slice(root.start + 1, root.end - 1);
    record.createdPermissions = true;
    record.createdDeny = true;
    return insertMember(text, root, 'permissions', { deny: [rule] });
  }
  if (deny === undefined) {
    if (permissions.value.members.length === 0)
      record.permissionsEmptyInner ??= text.slice(permissions.value.start + 1, permissions.value.end - 1);
    record.createdDeny = true;
    return insertMember(text, permissions.value, 'deny', [rule]);
  }
  if (deny.value.elements.length === 0) record.denyEmptyInner ??= text.slice(deny.valueStart + 1, deny.valueEnd - 1);
  return insertElement(text, deny.value, rule);
}

/** Takes back one rule swrole appended, then the containers swrole created for it once they are empty. */
function removeRule(text: string, rule: string, record: AppliedRecord, file: string, skipped: string[]): string {
  const { deny } = denyArray(text, file);
  const index = indexOfRule(text, deny, rule);
  if (deny === undefined || index < 0) {
    skipped.push(`permissions.deny (${rule})`);
    return text;
  }
  let out = deleteElement(text, deny.value, index);
  if (deny.value.elements.length > 1) return out;
  const after = denyArray(out, file);
  if (record.createdDeny) {
    out = deleteMember(
      out,
      after.permissions!.value,
      after.permissions!.value.members.lastIndexOf(findMember(after.permissions!.value, 'deny')!),
    );
    delete record.createdDeny;
  } else {
    if (record.denyEmptyInner !== undefined) out = splice(out, after.deny!.valueStart + 1, after.deny!.valueEnd - 1, record.denyEmptyInner);
    return out;
  }
  const last = denyArray(out, file);
  if (last.permissions!.value.members.length > 0) return out;
  if (record.createdPermissions) {
    out = deleteMember(out, last.root, last.root.members.lastIndexOf(last.permissions!));
    delete record.createdPermissions;
  } else if (record.permissionsEmptyInner !== undefined) {
    out = splice(out, last.permissions!.value.start + 1, last.permissions!.value.end - 1, record.permissionsEmptyInner);
  }
  return out;
}

/**
 * PURE: makes swrole's rules in `permissions.deny` those of `wanted` (`agent claude --contain`: Claude Code's own
 * Read/Edit tools run outside the sandbox, so its filesystem rules do not bind them; deny rules do). Rules of
 * `prior` no longer wanted are taken back; a rule the user already has is left to the user and not recorded.
 */
export function applyPermissionsPart(
  text: string,
  wanted: readonly string[],
  record: AppliedRecord,
  prior: AppliedRecord | undefined,
  file: string,
): string {
  let out = text;
  denyArray(out, file);
  const owned = prior?.denyRules ?? [];
  for (const old of [...owned].reverse()) if (!wanted.includes(old)) out = removeRule(out, old, record, file, []);
  const kept: string[] = [];
  for (const rule of new Set(wanted)) {
    if (indexOfRule(out, denyArray(out, file).deny, rule) >= 0) {
      if (owned.includes(rule)) kept.push(rule);
      continue;
    }
    out = addRule(out, rule, record, file);
    kept.push(rule);
  }
  if (kept.length > 0) record.denyRules = kept;
  else delete record.denyRules;
  return out;
}

export function removePermissionsPart(text: string, record: AppliedRecord, file: string, skipped: string[]): string {
  let out = text;
  for (const rule of [...(record.denyRules ?? [])].reverse()) out = removeRule(out, rule, record, file, skipped);
  return out;
}
