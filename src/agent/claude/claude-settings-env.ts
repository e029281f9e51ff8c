import { SwroleError } from '../../errors.js';
import { findMember } from '../../integrations/json-document.js';
import { deleteMember, insertMember, objectMember, rootObject, splice, type ObjectNode } from './claude-settings-text.js';
import type { AppliedEntry, AppliedRecord } from './claude-settings-record.js';

const ENV_HINT = 'Claude Code expects "env" to map variable names to strings; fix the file by hand';

function envObject(text: string, file: string): { root: ObjectNode; env: ReturnType<typeof objectMember> } {
  const root = rootObject(text, file);
  return { root, env: objectMember(root, 'env', file, ENV_HINT) };
}

/**
 * PURE: merges `vars` into the top-level `env` (settings.md "env"), patching the text in place, and notes in
 * `record` what it added or replaced. Keys of `prior` that this apply does not set are taken back (their old value
 * restored), as hooks and the statusLine are: an apply describes all of swrole's part, so switching modes leaves
 * nothing of the previous one behind. A key someone changed since is left alone and no longer swrole's.
 */
export function applyEnvPart(
  text: string,
  vars: Record<string, string>,
  record: AppliedRecord,
  prior: AppliedRecord | undefined,
  file: string,
): string {
  let out = text;
  envObject(out, file);
  const added: AppliedEntry[] = [];
  for (const [key, value] of Object.entries(vars)) {
    if (key === '' || typeof value !== 'string') {
      throw new SwroleError('E_SETTINGS_VALUE', `${file}: env entry ${JSON.stringify(key)} needs a name and a string value`, {
        hint: 'this is a bug in swrole: please report it (the file was not changed)',
      });
    }
    const { root, env } = envObject(out, file);
    if (env === undefined) {
      if (root.members.length === 0) record.rootEmptyInner ??= out.slice(root.start + 1, root.end - 1);
      out = insertMember(out, root, 'env', { [key]: value });
      record.createdEnv = true;
      added.push({ key, value });
      continue;
    }
    const existing = findMember(env.value, key);
    if (existing === undefined) {
      if (env.value.members.length === 0) record.envEmptyInner ??= out.slice(env.value.start + 1, env.value.end - 1);
      out = insertMember(out, env.value, key, value);
      added.push({ key, value });
      continue;
    }
    const rawCurrent = out.slice(existing.valueStart, existing.valueEnd);
    const owned = prior?.entries.find((e) => e.key === key && JSON.stringify(e.value) === JSON.stringify(JSON.parse(rawCurrent)));
    const entry: AppliedEntry = { key, value };
    const previous = owned ? owned.previous : rawCurrent;
    if (previous !== undefined) entry.previous = previous;
    added.push(entry);
    out = splice(out, existing.valueStart, existing.valueEnd, JSON.stringify(value));
  }
  const untouched = (prior?.entries ?? []).filter((e) => !Object.hasOwn(vars, e.key));
  record.entries = added;
  if (untouched.length === 0) return out;
  out = removeEnvPart(out, { ...record, entries: untouched, createdEnv: false, envEmptyInner: undefined }, file, []);
  const { root, env } = envObject(out, file);
  if (env !== undefined && env.value.members.length === 0 && added.length === 0) {
    if (record.createdEnv) {
      out = deleteMember(out, root, root.members.lastIndexOf(env));
      record.createdEnv = false;
    } else if (record.envEmptyInner !== undefined) out = splice(out, env.value.start + 1, env.value.end - 1, record.envEmptyInner);
  }
  return out;
}

/** PURE: takes back the env entries of `record`; a value changed since is left alone and named in `skipped`. */
export function removeEnvPart(text: string, record: AppliedRecord, file: string, skipped: string[]): string {
  let out = text;
  for (const entry of [...record.entries].reverse()) {
    const { env } = envObject(out, file);
    const member = env === undefined ? undefined : findMember(env.value, entry.key);
    if (env === undefined || member === undefined) continue;
    const current: unknown = JSON.parse(out.slice(member.valueStart, member.valueEnd));
    if (current !== entry.value) {
      skipped.push(`env.${entry.key}`);
      continue;
    }
    out =
      entry.previous !== undefined
        ? splice(out, member.valueStart, member.valueEnd, entry.previous)
        : deleteMember(out, env.value, env.value.members.lastIndexOf(member));
  }
  const { root, env } = envObject(out, file);
  if (env !== undefined && env.value.members.length === 0) {
    if (record.createdEnv) out = deleteMember(out, root, root.members.lastIndexOf(env));
    else if (record.envEmptyInner !== undefined) out = splice(out, env.value.start + 1, env.value.end - 1, record.envEmptyInner);
  }
  return out;
}
