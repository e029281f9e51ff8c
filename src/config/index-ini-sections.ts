/**
 * One pass over an AWS INI file that finds where each section is, without building its lines: the index that
 * lets a profile be read by parsing only the sections its chain needs (load-aws-config.ts). It classifies every
 * line exactly as ini-document.ts does (configparser's rules) but keeps only the section headers, and it tells
 * whether the file is certainly one botocore reads without error (`clean`). A file that is not clean is handed to
 * the full reader (read-sections.ts), which raises botocore's error or, where this pass was only cautious
 * (two names whose hashes met), reads it; a section with continuation lines is flagged so that its nested values
 * are checked before anything is answered (botocore refuses the whole file for a bad one). The names are
 * indexed by hash (hash-table-64.ts): raw names, and the plain `[profile NAME]` headers by NAME, so that a
 * profile is found without building a Map of 50,000 strings.
 */
import { isPySpace } from './py-text.js';
import { createHashTable64 } from './hash-table-64.js';

/** One `[header]` and the text up to the next header: [start, end) in the file's text. */
export interface SectionSpan {
  /** The raw header text between `[` and the last `]`, as configparser names the section. */
  readonly name: string;
  /** 1-based line of the header. */
  readonly line: number;
  readonly start: number;
  end: number;
  /** Continuation lines follow some key: a nested value that must be checked (read-sections.ts). */
  continued: boolean;
  /** A line read-sections.ts may warn about (`:`, a key not in lower case, `#`/`;` or nothing in a value). */
  noted: boolean;
}

export interface IniIndex {
  readonly file: string;
  readonly text: string;
  /** Sections other than [DEFAULT], in file order (each raw name once when clean). */
  readonly sections: readonly SectionSpan[];
  /** Every [DEFAULT] section, in file order (configparser merges them into one). */
  readonly defaults: readonly SectionSpan[];
  /** False when the full reader must decide (an error botocore raises, or a doubt). */
  readonly clean: boolean;
  /** Index in `sections` of the section whose raw name hashes like `name` (confirm the name), or -1. */
  findRaw(name: string): number;
  /** Index in `sections` of the `[profile NAME]` header written plainly (no quotes, backslashes or extra spaces), or -1. */
  findPlainProfile(name: string): number;
  /** Indexes in `sections` of every other header (botocore's naming decides what they are). */
  readonly otherHeaders: readonly number[];
}

const CR = 0x0d;
const LF = 0x0a;

/** The text's sections, every one even in a file that is not clean (the full reader may still accept it). */
export function indexIniSections(text: string, file: string): IniIndex {
  const sections: SectionSpan[] = [];
  const defaults: SectionSpan[] = [];
  const expected = text.length >> 7;
  const raw = createHashTable64(expected);
  const plainProfiles = createHashTable64(expected);
  const otherHeaders: number[] = [];
  // The hashes of the lower-cased keys of the current section, and of all [DEFAULT] sections together (a few
  // per section: a list beats a set).
  const sectionKeys: number[] = [];
  const defaultKeys: number[] = [];
  let keys = sectionKeys;
  let current: SectionSpan | undefined;
  // configparser state, as in ini-document.ts: a key can take continuation lines, and its indent.
  let keyOpen = false;
  let keyIndent = 0;
  let clean = true;
  const length = text.length;
  // Native indexOf for the break and separator characters, each refreshed only once passed: a typical line
  // costs a few native calls and no loop over its characters.
  let nextLf = text.indexOf('\n');
  let nextCr = text.indexOf('\r');
  let nextEq = text.indexOf('=');
  let nextColon = text.indexOf(':');
  let nextHash = text.indexOf('#');
  let nextSemicolon = text.indexOf(';');
  let start = 0;
  let lineNo = 0;
  while (start < length) {
    if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
    if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
    const end = nextLf === -1 ? (nextCr === -1 ? length : nextCr) : nextCr === -1 || nextLf < nextCr ? nextLf : nextCr;
    const lineStart = start;
    start = end === length ? end : text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    lineNo++;
    let first = lineStart;
    let c = first < end ? text.charCodeAt(first) : 0x0a;
    // Printable ASCII in the first column: neither blank nor a continuation line (whose indent exceeds a key's).
    if (c <= 0x20 || c >= 0x7f) {
      while (first < end && isPySpace(text.charCodeAt(first))) first++;
      if (first === end) continue; // blank
      c = text.charCodeAt(first);
    }
    if (c === 0x23 || c === 0x3b) continue; // comment, however deep the indent
    const indent = first - lineStart;
    if (indent > keyIndent && keyOpen && current !== undefined) {
      current.continued = true;
      continue;
    }
    if (c === 0x5b) {
      // The header ends at the LAST `]` of the line (configparser's greedy SECTCRE, not anchored at the end).
      const close = text.lastIndexOf(']', end - 1);
      if (close >= first + 2) {
        const name = text.slice(first + 1, close);
        if (current !== undefined) current.end = lineStart;
        current = { name, line: lineNo, start: lineStart, end: length, continued: false, noted: false };
        if (name === 'DEFAULT') {
          defaults.push(current);
          keys = defaultKeys;
        } else {
          // DuplicateSectionError, or (about never) two names whose hashes meet: the full reader decides.
          if (raw.addRange(text, first + 1, close, sections.length) !== -1) clean = false;
          const plain = plainProfileName(text, first + 1, close);
          if (plain === -1 || plainProfiles.addRange(text, plain, close, sections.length) !== -1) otherHeaders.push(sections.length);
          sections.push(current);
          sectionKeys.length = 0;
          keys = sectionKeys;
        }
        keyOpen = false;
        keyIndent = indent;
        continue;
      }
    }
    // An entry: the first `=` or `:` of the line (never a trailing space, so before the trimmed end too).
    if (nextEq !== -1 && nextEq < first) nextEq = text.indexOf('=', first);
    if (nextColon !== -1 && nextColon < first) nextColon = text.indexOf(':', first);
    const sep = nextEq === -1 ? nextColon : nextColon === -1 || nextEq < nextColon ? nextEq : nextColon;
    keyIndent = indent;
    if (current === undefined || sep === -1 || sep >= end) {
      clean = false; // a line before any header, or one without a separator
      continue;
    }
    let keyEnd = sep;
    while (keyEnd > first && isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    keyOpen = keyEnd > first;
    if (!keyOpen) {
      clean = false; // an empty key
      continue;
    }
    // The lower-cased key as a hash, without making a string of it (ASCII keys; others are lower-cased as
    // read-sections.ts does). Equal hashes are DuplicateOptionError or, about never, two keys: the full reader decides.
    let hash = 0x811c9dc5 | 0;
    let lower = true;
    let ascii = true;
    for (let i = first; i < keyEnd; i++) {
      let k = text.charCodeAt(i);
      if (k >= 0x41 && k <= 0x5a) {
        lower = false;
        k += 0x20;
      } else if (k >= 0x80) ascii = false;
      hash = Math.imul(hash ^ k, 0x01000193);
    }
    if (!ascii) {
      const written = text.slice(first, keyEnd);
      const key = written.toLowerCase();
      lower = key === written;
      hash = 0x811c9dc5 | 0;
      for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    }
    if (keys.includes(hash)) clean = false; // DuplicateOptionError
    keys.push(hash);
    if (!current.noted) {
      if (nextHash !== -1 && nextHash < sep) nextHash = text.indexOf('#', sep);
      if (nextSemicolon !== -1 && nextSemicolon < sep) nextSemicolon = text.indexOf(';', sep);
      let value = sep + 1;
      while (value < end && isPySpace(text.charCodeAt(value))) value++;
      current.noted =
        sep === nextColon ||
        !lower ||
        value === end ||
        (nextHash !== -1 && nextHash < end) ||
        (nextSemicolon !== -1 && nextSemicolon < end);
    }
  }
  return {
    file,
    text,
    sections,
    defaults,
    clean,
    otherHeaders,
    findRaw: (name) => raw.get(name),
    findPlainProfile: (name) => plainProfiles.get(name),
  };
}

/** Where NAME starts in `profile NAME` when shlex would split it as written (no quote, backslash or space), else -1. */
function plainProfileName(text: string, from: number, to: number): number {
  const start = from + 8;
  if (to <= start || !text.startsWith('profile ', from)) return -1;
  for (let i = start; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27 || c === 0x5c || isPySpace(c)) return -1;
  }
  return start;
}
