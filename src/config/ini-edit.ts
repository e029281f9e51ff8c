/**
 * Small, surgical edits on an IniDocument for `swrole setup` / removal: only the lines that change
 * are touched, everything else (comments, spacing, line endings) stays byte for byte.
 * Each edit returns a new document (re-parsed, so line numbers and kinds stay right).
 */
import { SwroleError } from '../errors.js';
import { detectLineEnding, parseIniDocument, type IniDocument, type IniHeaderLine, type IniLine } from './ini-document.js';

export interface IniSectionRange {
  header: IniHeaderLine;
  /** Index (in doc.lines) of the header. */
  start: number;
  /** Index just past the section's last key/continuation/other line (trailing blanks and comments excluded). */
  end: number;
  /** Index of the next header, or doc.lines.length. */
  next: number;
}

export type IniEntries = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

/** Finds the first section whose raw header name (between the brackets) is `name`. */
export function findSection(doc: IniDocument, name: string): IniSectionRange | undefined {
  const { lines } = doc;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as IniLine;
    if (l.kind !== 'header' || l.name !== name) continue;
    let next = i + 1;
    let end = i + 1;
    while (next < lines.length && (lines[next] as IniLine).kind !== 'header') {
      const kind = (lines[next] as IniLine).kind;
      next++;
      if (kind !== 'blank' && kind !== 'comment') end = next;
    }
    return { header: l, start: i, end, next };
  }
  return undefined;
}

/** Appends `[name]` with its entries at the end, after one blank separator line, in the file's line ending. */
export function appendSection(doc: IniDocument, name: string, entries: IniEntries): IniDocument {
  assertSingleLine(name, 'section name');
  const eol = detectLineEnding(doc);
  const lines = doc.lines.map(render);
  if (lines.length > 0) {
    const lastIndex = lines.length - 1;
    const last = doc.lines[lastIndex] as IniLine;
    if (last.eol === '') lines[lastIndex] = last.text + eol;
    if (last.kind !== 'blank') lines.push(eol);
  }
  lines.push(`[${name}]${eol}`);
  for (const [key, value] of entryList(entries)) lines.push(renderEntry(key, value) + eol);
  return parseIniDocument(lines.join(''), doc.file);
}

/** Removes a section (header through its last key) and the blank lines after it; comments before the next header stay. */
export function removeSection(doc: IniDocument, name: string): IniDocument {
  const range = findSection(doc, name);
  if (!range) return doc;
  let to = range.end;
  while (to < doc.lines.length && (doc.lines[to] as IniLine).kind === 'blank') to++;
  let from = range.start;
  // The last section of the file: also drop the blank separator that preceded it.
  if (to === doc.lines.length) {
    while (from > 0 && (doc.lines[from - 1] as IniLine).kind === 'blank') from--;
  }
  const kept = [...doc.lines.slice(0, from), ...doc.lines.slice(to)].map(render);
  if (to === doc.lines.length && from > 0 && from === kept.length) {
    // Keep the file's final-newline habit: if the removed tail ended without one, so does the new tail.
    const lastRemoved = doc.lines[doc.lines.length - 1] as IniLine;
    const prev = doc.lines[from - 1] as IniLine;
    if (lastRemoved.eol === '') kept[from - 1] = prev.text;
  }
  return parseIniDocument(kept.join(''), doc.file);
}

/**
 * Sets `key` in section `name`: replaces the value of an existing key (matched case-insensitively,
 * like botocore; its key text, separator and spacing kept, its continuation lines dropped), or adds
 * `key = value` after the section's last key. A missing section is appended.
 */
export function setValue(doc: IniDocument, name: string, key: string, value: string): IniDocument {
  assertSingleLine(key, 'key');
  assertSingleLine(value, 'value');
  const range = findSection(doc, name);
  if (!range) return appendSection(doc, name, [[key, value]]);
  const lines = doc.lines.map(render);
  const wanted = key.toLowerCase();
  for (let i = range.start + 1; i < range.next; i++) {
    const l = doc.lines[i] as IniLine;
    if (l.kind !== 'entry' || l.key.toLowerCase() !== wanted) continue;
    const prefix = l.value === '' ? `${l.text.slice(0, l.valueStart).trimEnd()} ` : l.text.slice(0, l.valueStart);
    lines[i] = prefix + value + l.eol;
    let j = i + 1;
    while (j < range.next && ((doc.lines[j] as IniLine).kind === 'continuation' || isBlankInsideValue(doc, j, range.next))) {
      lines[j] = '';
      j++;
    }
    return parseIniDocument(lines.join(''), doc.file);
  }
  const eol = detectLineEnding(doc);
  const lastIndex = range.end - 1;
  const last = doc.lines[lastIndex] as IniLine;
  lines[lastIndex] = last.text + (last.eol || eol) + renderEntry(key, value) + (last.eol === '' ? '' : last.eol);
  return parseIniDocument(lines.join(''), doc.file);
}

/**
 * Removes every `key` entry (matched case-insensitively, like botocore) of section `name`, with its continuation
 * lines; every other line stays byte for byte. A missing section or key leaves the document as it is.
 */
export function removeValue(doc: IniDocument, name: string, key: string): IniDocument {
  const range = findSection(doc, name);
  if (!range) return doc;
  const lines = doc.lines.map(render);
  const wanted = key.toLowerCase();
  let changed = false;
  for (let i = range.start + 1; i < range.next; i++) {
    const l = doc.lines[i] as IniLine;
    if (l.kind !== 'entry' || l.key.toLowerCase() !== wanted) continue;
    lines[i] = '';
    changed = true;
    let j = i + 1;
    while (j < range.next && ((doc.lines[j] as IniLine).kind === 'continuation' || isBlankInsideValue(doc, j, range.next))) {
      lines[j] = '';
      j++;
    }
  }
  return changed ? parseIniDocument(lines.join(''), doc.file) : doc;
}

/** The keys of section `name` (its entries, in order), or undefined when there is no such section. */
export function sectionKeys(doc: IniDocument, name: string): string[] | undefined {
  const range = findSection(doc, name);
  if (!range) return undefined;
  const keys: string[] = [];
  for (let i = range.start + 1; i < range.next; i++) {
    const l = doc.lines[i] as IniLine;
    if (l.kind === 'entry') keys.push(l.key);
  }
  return keys;
}

/** A blank line followed (after more blanks) by a continuation line belongs to the multi-line value. */
function isBlankInsideValue(doc: IniDocument, index: number, limit: number): boolean {
  let j = index;
  while (j < limit && (doc.lines[j] as IniLine).kind === 'blank') j++;
  return j > index && j < limit && (doc.lines[j] as IniLine).kind === 'continuation';
}

function render(l: IniLine): string {
  return l.text + l.eol;
}

function renderEntry(key: string, value: string): string {
  assertSingleLine(key, 'key');
  assertSingleLine(value, 'value');
  return value === '' ? `${key} =` : `${key} = ${value}`;
}

function entryList(entries: IniEntries): ReadonlyArray<readonly [string, string]> {
  return Array.isArray(entries) ? (entries as ReadonlyArray<readonly [string, string]>) : Object.entries(entries);
}

function assertSingleLine(text: string, what: string): void {
  if (/[\r\n]/.test(text)) {
    throw new SwroleError('E_CONFIG_EDIT', `${what} ${JSON.stringify(text)} contains a line break`, {
      hint: 'names and values in the AWS config files must fit on one line',
    });
  }
}
