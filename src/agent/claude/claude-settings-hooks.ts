import { findMember } from '../../integrations/json-document.js';
import {
  arrayMember,
  canonicalJson,
  deleteElement,
  deleteMember,
  insertElement,
  insertMember,
  objectMember,
  rootObject,
  splice,
  type ArrayNode,
} from './claude-settings-text.js';
import type { AppliedHook, AppliedRecord } from './claude-settings-record.js';

const HOOKS_HINT = 'Claude Code expects "hooks" to map event names to arrays of matcher groups (hooks.md); fix the file by hand';
const describeGroup = (hook: AppliedHook): string => {
  const inner = hook.group.hooks;
  const first = Array.isArray(inner) ? inner[0] : undefined;
  const command = first !== null && typeof first === 'object' && !Array.isArray(first) ? first.command : undefined;
  return typeof command === 'string' ? command : canonicalJson(hook.group);
};
const sameHook = (a: AppliedHook, b: AppliedHook): boolean => a.event === b.event && canonicalJson(a.group) === canonicalJson(b.group);

function hooksObject(text: string, file: string) {
  const root = rootObject(text, file);
  return { root, hooks: objectMember(root, 'hooks', file, HOOKS_HINT) };
}

/** Index of the last element of `hooks[event]` equal to `hook.group`, with the array; -1 when absent. */
function findGroup(text: string, hook: AppliedHook, file: string): { array: ArrayNode; index: number; count: number } | undefined {
  const { hooks } = hooksObject(text, file);
  const event = hooks === undefined ? undefined : arrayMember(hooks.value, hook.event, file, HOOKS_HINT);
  if (event === undefined) return undefined;
  const { elements } = event.value;
  const want = canonicalJson(hook.group);
  let index = -1;
  elements.forEach((el, i) => {
    if (canonicalJson(JSON.parse(text.slice(el.start, el.end))) === want) index = i;
  });
  return { array: event.value, index, count: elements.length };
}

/** Takes back one group swrole appended, then the containers swrole created for it once they are empty. */
function removeGroup(text: string, hook: AppliedHook, record: AppliedRecord, file: string, skipped: string[]): string {
  const found = findGroup(text, hook, file);
  if (found === undefined || found.index < 0) {
    skipped.push(`hooks.${hook.event} (${describeGroup(hook)})`);
    return text;
  }
  let out = deleteElement(text, found.array, found.index);
  if (found.count > 1) return out;
  const { hooks } = hooksObject(out, file);
  const event = findMember(hooks!.value, hook.event)!;
  if (record.createdEvents?.includes(hook.event)) {
    out = deleteMember(out, hooks!.value, hooks!.value.members.lastIndexOf(event));
    record.createdEvents = record.createdEvents.filter((e) => e !== hook.event);
  } else {
    const inner = record.eventEmptyInner?.[hook.event];
    if (inner !== undefined) out = splice(out, event.valueStart + 1, event.valueEnd - 1, inner);
    return out;
  }
  const { root, hooks: after } = hooksObject(out, file);
  if (after!.value.members.length > 0) return out;
  if (record.createdHooks) {
    out = deleteMember(out, root, root.members.lastIndexOf(after!));
    delete record.createdHooks;
  } else if (record.hooksEmptyInner !== undefined) {
    out = splice(out, after!.value.start + 1, after!.value.end - 1, record.hooksEmptyInner);
  }
  return out;
}

/** Appends one group to `hooks[event]`, creating what is missing, and notes what it created. */
function addGroup(text: string, hook: AppliedHook, record: AppliedRecord, file: string): string {
  const { root, hooks } = hooksObject(text, file);
  if (hooks === undefined) {
    if (root.members.length === 0) record.rootEmptyInner ??= text.slice(root.start + 1, root.end - 1);
    record.createdHooks = true;
    record.createdEvents = [...(record.createdEvents ?? []), hook.event];
    return insertMember(text, root, 'hooks', { [hook.event]: [hook.group] });
  }
  const event = arrayMember(hooks.value, hook.event, file, HOOKS_HINT);
  if (event === undefined) {
    if (hooks.value.members.length === 0) record.hooksEmptyInner ??= text.slice(hooks.value.start + 1, hooks.value.end - 1);
    record.createdEvents = [...(record.createdEvents ?? []), hook.event];
    return insertMember(text, hooks.value, hook.event, [hook.group]);
  }
  if (event.value.elements.length === 0) {
    record.eventEmptyInner = { ...record.eventEmptyInner, [hook.event]: text.slice(event.valueStart + 1, event.valueEnd - 1) };
  }
  return insertElement(text, event.value, hook.group);
}

/**
 * PURE: makes swrole's hook groups in the file those of `wanted`: groups of `prior` no longer wanted are taken
 * back, wanted ones are appended after the user's own (hooks from every source run, hooks.md), each once.
 * A group identical to one the user wrote is left to the user and not recorded.
 */
export function applyHooksPart(
  text: string,
  wanted: AppliedHook[],
  record: AppliedRecord,
  prior: AppliedRecord | undefined,
  file: string,
): string {
  let out = text;
  hooksObject(out, file);
  const owned = prior?.hooks ?? [];
  for (const old of [...owned].reverse()) if (!wanted.some((w) => sameHook(w, old))) out = removeGroup(out, old, record, file, []);
  const kept: AppliedHook[] = [];
  for (const hook of wanted) {
    if (kept.some((k) => sameHook(k, hook))) continue;
    const found = findGroup(out, hook, file);
    if (found !== undefined && found.index >= 0) {
      if (owned.some((o) => sameHook(o, hook))) kept.push(hook);
      continue;
    }
    out = addGroup(out, hook, record, file);
    kept.push(hook);
  }
  if (kept.length > 0) record.hooks = kept;
  else delete record.hooks;
  return out;
}

export function removeHooksPart(text: string, record: AppliedRecord, file: string, skipped: string[]): string {
  let out = text;
  for (const hook of [...(record.hooks ?? [])].reverse()) out = removeGroup(out, hook, record, file, skipped);
  return out;
}
