import { SwroleError } from '../../errors.js';
import {
  detectJsonStyle,
  findMember,
  hasNewline,
  lineIndentAt,
  parseJsonDocument,
  type JsonMember,
  type JsonNode,
} from '../../integrations/json-document.js';

/**
 * Text-patching primitives for Claude Code settings files: every edit is one splice whose exact inverse is
 * another splice, so that taking back what swrole added yields the original bytes (no re-serialisation).
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ObjectNode = Extract<JsonNode, { kind: 'object' }>;
export type ArrayNode = Extract<JsonNode, { kind: 'array' }>;
export interface Span {
  start: number;
  end: number;
}

export function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

function invalid(message: string, hint: string): SwroleError {
  return new SwroleError('E_SETTINGS_INVALID', message, { hint });
}

export function rootObject(text: string, file: string): ObjectNode {
  const root = parseJsonDocument(text, file);
  if (root.kind !== 'object')
    throw invalid(`${file}: the top level is not a JSON object`, 'Claude Code settings files hold one JSON object; fix the file by hand');
  return root;
}

/** The member `key` of `obj` when it is an object; undefined when absent; E_SETTINGS_INVALID otherwise. */
export function objectMember(obj: ObjectNode, key: string, file: string, hint: string): (JsonMember & { value: ObjectNode }) | undefined {
  const member = findMember(obj, key);
  if (member === undefined) return undefined;
  if (member.value.kind !== 'object') throw invalid(`${file}: "${key}" is not an object`, hint);
  return member as JsonMember & { value: ObjectNode };
}

/** The member `key` of `obj` when it is an array; undefined when absent; E_SETTINGS_INVALID otherwise. */
export function arrayMember(obj: ObjectNode, key: string, file: string, hint: string): (JsonMember & { value: ArrayNode }) | undefined {
  const member = findMember(obj, key);
  if (member === undefined) return undefined;
  if (member.value.kind !== 'array') throw invalid(`${file}: "${key}" is not an array`, hint);
  return member as JsonMember & { value: ArrayNode };
}

/** Compact one-line JSON with the usual `": "` and `", "` spacing, for files written on one line. */
function renderInline(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(renderInline).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${renderInline(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}

/** `value` as the file would hold it at a line indented by `base` (multi-line) or on one line (inline). */
export function renderValue(text: string, value: JsonValue, base: string, inline: boolean): string {
  if (inline) return renderInline(value);
  const { indent, eol } = detectJsonStyle(text);
  return JSON.stringify(value, null, indent).split('\n').join(`${eol}${base}`);
}

/** Where a new last item of a container goes: after `prev` (an item span), or into an empty container. */
function appendAt(text: string, open: number, close: number, items: Span[], render: (base: string, inline: boolean) => string): string {
  const { indent, eol } = detectJsonStyle(text);
  const last = items.at(-1);
  if (last === undefined) {
    const outer = lineIndentAt(text, open);
    return splice(text, open + 1, close - 1, `${eol}${outer}${indent}${render(outer + indent, false)}${eol}${outer}`);
  }
  const before = items.length > 1 ? items.at(-2)!.end : open + 1;
  if (hasNewline(text, before, last.start)) {
    const base = lineIndentAt(text, last.start);
    return splice(text, last.end, last.end, `,${eol}${base}${render(base, false)}`);
  }
  return splice(text, last.end, last.end, `, ${render('', true)}`);
}

/** Inserts `"key": value` as the last member of `obj`, in the layout its siblings use. */
export function insertMember(text: string, obj: ObjectNode, key: string, value: JsonValue): string {
  const items = obj.members.map((m) => ({ start: m.keyStart, end: m.valueEnd }));
  return appendAt(text, obj.start, obj.end, items, (base, inline) => `${JSON.stringify(key)}: ${renderValue(text, value, base, inline)}`);
}

/** Appends `value` to `arr`, in the layout its elements use. */
export function insertElement(text: string, arr: ArrayNode, value: JsonValue): string {
  return appendAt(text, arr.start, arr.end, arr.elements, (base, inline) => renderValue(text, value, base, inline));
}

/** Removes item `index` of a container with the separator that joins it to its neighbour. */
function deleteItem(text: string, open: number, close: number, items: Span[], index: number): string {
  const item = items[index]!;
  if (items.length === 1) return splice(text, open + 1, close - 1, '');
  if (index > 0) return splice(text, items[index - 1]!.end, item.end, '');
  return splice(text, item.start, items[1]!.start, '');
}

export function deleteMember(text: string, obj: ObjectNode, index: number): string {
  return deleteItem(
    text,
    obj.start,
    obj.end,
    obj.members.map((m) => ({ start: m.keyStart, end: m.valueEnd })),
    index,
  );
}

export function deleteElement(text: string, arr: ArrayNode, index: number): string {
  return deleteItem(text, arr.start, arr.end, arr.elements, index);
}

/** Key-order-independent identity of a JSON value, to recognise an entry swrole wrote. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
