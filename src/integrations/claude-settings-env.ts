import { EXIT, SwroleError } from '../errors.js';
import { detectJsonStyle, findMember, hasNewline, lineIndentAt, parseJsonDocument, type JsonMember, type JsonNode } from './json-document.js';

/**
 * Exactly what swrole put into a settings file's `env`, so that `--remove` takes back that and nothing else.
 * `previous` is the raw JSON text of a value swrole replaced (absent: swrole added the key). The record can
 * hold secrets (keys mode, or a user's own previous values), so it is stored 0600 under the state dir.
 */
export interface AppliedEntry {
  key: string;
  value: string;
  previous?: string;
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
}

export interface ApplyOptions {
  /** Names the file in errors. */
  file?: string;
  /** The record of an earlier apply on this file: keys swrole already owns keep their original `previous`. */
  prior?: AppliedRecord;
}

const DEFAULT_FILE = '.claude/settings.local.json';

function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

function rootObject(text: string, file: string): Extract<JsonNode, { kind: 'object' }> {
  const root = parseJsonDocument(text, file);
  if (root.kind !== 'object') {
    throw new SwroleError('E_SETTINGS_INVALID', `${file}: the top level is not a JSON object`, {
      hint: 'Claude Code settings files hold one JSON object; fix the file by hand',
      exit: EXIT.integration,
    });
  }
  return root;
}

function envObject(root: JsonNode, file: string): (JsonMember & { value: Extract<JsonNode, { kind: 'object' }> }) | undefined {
  const env = findMember(root, 'env');
  if (env === undefined) return undefined;
  if (env.value.kind !== 'object') {
    throw new SwroleError('E_SETTINGS_INVALID', `${file}: "env" is not an object`, {
      hint: 'Claude Code expects "env" to map variable names to strings; fix the file by hand',
      exit: EXIT.integration,
    });
  }
  return env as JsonMember & { value: Extract<JsonNode, { kind: 'object' }> };
}

/** Inserts `memberText` as the last member of `obj`, in the layout its siblings use. */
function insertMember(text: string, obj: Extract<JsonNode, { kind: 'object' }>, memberText: string): string {
  const { indent, eol } = detectJsonStyle(text);
  const last = obj.members.at(-1);
  if (last === undefined) {
    const outer = lineIndentAt(text, obj.start);
    return splice(text, obj.start + 1, obj.end - 1, `${eol}${outer}${indent}${memberText}${eol}${outer}`);
  }
  const before = obj.members.length > 1 ? obj.members.at(-2)!.valueEnd : obj.start + 1;
  if (hasNewline(text, before, last.keyStart)) return splice(text, last.valueEnd, last.valueEnd, `,${eol}${lineIndentAt(text, last.keyStart)}${memberText}`);
  return splice(text, last.valueEnd, last.valueEnd, `, ${memberText}`);
}

/** Removes member `index` of `obj` with the separator that joins it to its neighbour. */
function deleteMember(text: string, obj: Extract<JsonNode, { kind: 'object' }>, index: number): string {
  const member = obj.members[index]!;
  if (obj.members.length === 1) return splice(text, obj.start + 1, obj.end - 1, '');
  if (index > 0) return splice(text, obj.members[index - 1]!.valueEnd, member.valueEnd, '');
  return splice(text, member.keyStart, obj.members[1]!.keyStart, '');
}

function memberText(key: string, value: string): string {
  return `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
}

/** Renders a new `env` object laid out like the file around it. */
function renderEnv(text: string, root: Extract<JsonNode, { kind: 'object' }>, key: string, value: string): string {
  const { indent, eol } = detectJsonStyle(text);
  const last = root.members.at(-1);
  const inline = last !== undefined && !hasNewline(text, root.members.length > 1 ? root.members.at(-2)!.valueEnd : root.start + 1, last.keyStart);
  if (inline) return `"env": {${memberText(key, value)}}`;
  const memberIndent = last === undefined ? lineIndentAt(text, root.start) + indent : lineIndentAt(text, last.keyStart);
  return `"env": {${eol}${memberIndent}${indent}${memberText(key, value)}${eol}${memberIndent}}`;
}

/**
 * PURE: merges `vars` into the top-level `env` of a Claude Code settings text, patching the text in place so
 * every other byte is kept. `text` undefined means a new file. Returns the new text and what was changed.
 */
export function applyEnvToSettings(
  text: string | undefined,
  vars: Record<string, string>,
  owner: 'swrole',
  options: ApplyOptions = {},
): { text: string; record: AppliedRecord } {
  const file = options.file ?? DEFAULT_FILE;
  const prior = options.prior;
  let out = text ?? '{}\n';
  const record: AppliedRecord = { version: 1, owner, entries: [], createdEnv: prior?.createdEnv ?? false };
  if (prior?.rootEmptyInner !== undefined) record.rootEmptyInner = prior.rootEmptyInner;
  if (prior?.envEmptyInner !== undefined) record.envEmptyInner = prior.envEmptyInner;
  rootObject(out, file);
  envObject(rootObject(out, file), file);

  for (const [key, value] of Object.entries(vars)) {
    if (key === '' || typeof value !== 'string') {
      throw new SwroleError('E_SETTINGS_VALUE', `${file}: env entry ${JSON.stringify(key)} needs a name and a string value`, { exit: EXIT.internal });
    }
    const root = rootObject(out, file);
    const env = envObject(root, file);
    if (env === undefined) {
      if (root.members.length === 0) record.rootEmptyInner ??= out.slice(root.start + 1, root.end - 1);
      out = insertMember(out, root, renderEnv(out, root, key, value));
      record.createdEnv = true;
      record.entries.push({ key, value });
      continue;
    }
    const existing = findMember(env.value, key);
    if (existing === undefined) {
      if (env.value.members.length === 0) record.envEmptyInner ??= out.slice(env.value.start + 1, env.value.end - 1);
      out = insertMember(out, env.value, memberText(key, value));
      record.entries.push({ key, value });
      continue;
    }
    const rawCurrent = out.slice(existing.valueStart, existing.valueEnd);
    const owned = prior?.entries.find((e) => e.key === key && JSON.stringify(e.value) === JSON.stringify(JSON.parse(rawCurrent)));
    const entry: AppliedEntry = { key, value };
    const previous = owned ? owned.previous : rawCurrent;
    if (previous !== undefined) entry.previous = previous;
    record.entries.push(entry);
    out = splice(out, existing.valueStart, existing.valueEnd, JSON.stringify(value));
  }
  // Keys of an earlier apply that this one did not touch stay owned, ahead of the new ones (removal runs in reverse).
  const untouched = (prior?.entries ?? []).filter((e) => !Object.hasOwn(vars, e.key));
  record.entries = [...untouched, ...record.entries];
  if (prior?.createdFile) record.createdFile = true;
  return { text: out, record };
}

/**
 * PURE: takes back what `record` says swrole added or replaced. A key whose value someone changed since is left
 * alone and reported in `skipped`. When nothing else changed, the result is the original bytes.
 */
export function removeFromSettings(text: string, record: AppliedRecord, file = DEFAULT_FILE): { text: string; skipped: string[] } {
  let out = text;
  const skipped: string[] = [];
  for (const entry of [...record.entries].reverse()) {
    const env = envObject(rootObject(out, file), file);
    const member = env === undefined ? undefined : findMember(env.value, entry.key);
    const index = member === undefined ? -1 : env!.value.members.lastIndexOf(member);
    if (env === undefined || member === undefined) continue;
    const current: unknown = JSON.parse(out.slice(member.valueStart, member.valueEnd));
    if (current !== entry.value) {
      skipped.push(entry.key);
      continue;
    }
    out = entry.previous !== undefined ? splice(out, member.valueStart, member.valueEnd, entry.previous) : deleteMember(out, env.value, index);
  }
  const root = rootObject(out, file);
  const env = envObject(root, file);
  if (env !== undefined && env.value.members.length === 0) {
    if (record.createdEnv) {
      out = deleteMember(out, root, root.members.lastIndexOf(env));
      const after = rootObject(out, file);
      if (after.members.length === 0 && record.rootEmptyInner !== undefined) out = splice(out, after.start + 1, after.end - 1, record.rootEmptyInner);
    } else if (record.envEmptyInner !== undefined) {
      out = splice(out, env.value.start + 1, env.value.end - 1, record.envEmptyInner);
    }
  }
  return { text: out, skipped };
}
