/**
 * A lossless model of an AWS INI file: every line is kept with its exact text and line ending, so
 * `serializeIniDocument(parseIniDocument(x)) === x` for any string x. Lines are classified with
 * botocore's rules (Python configparser, docs/reference/aws-behaviour.md §1.3) so that read-sections.ts can
 * apply the semantics and the edit API (ini-edit.ts) knows where sections and keys are.
 * Parsing never throws: errors are decided by read-sections.ts.
 */
import { isPySpace, skipPySpace, trimPySpaceEnd } from './py-text.js';

export type LineEnding = '' | '\n' | '\r\n' | '\r';

interface LineBase {
  /** 1-based line number. */
  readonly line: number;
  /** The line without its line ending, byte for byte (a BOM stays in line 1). */
  readonly text: string;
  readonly eol: LineEnding;
  /** Column of the first non-space character (Python's `\S`); text.length for blank lines. */
  readonly indent: number;
}

/** `[name]`: `name` is what configparser calls the section (between `[` and the last `]`, untrimmed). */
export interface IniHeaderLine extends LineBase {
  readonly kind: 'header';
  readonly name: string;
}

/** `key = value` or `key: value` (first `=` or `:` wins). Key and value are trimmed, case kept. */
export interface IniEntryLine extends LineBase {
  readonly kind: 'entry';
  readonly key: string;
  readonly separator: '=' | ':';
  readonly value: string;
  /** Index in `text` where the value starts (after the separator and spaces). */
  readonly valueStart: number;
}

/** An indented line that configparser appends to the previous key's value. */
export interface IniContinuationLine extends LineBase {
  readonly kind: 'continuation';
  /** The stripped text. */
  readonly value: string;
}

/** Blank lines, full-line `#`/`;` comments, and lines configparser cannot read (`other`). */
export interface IniPlainLine extends LineBase {
  readonly kind: 'comment' | 'blank' | 'other';
}

export type IniLine = IniHeaderLine | IniEntryLine | IniContinuationLine | IniPlainLine;

export interface IniDocument {
  readonly file: string;
  readonly lines: readonly IniLine[];
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Splits on universal newlines (`\r\n`, `\r`, `\n`) like Python text files, and classifies each line.
 * `firstLine` numbers a part of a file that starts at a section header (index-ini-sections.ts): configparser's
 * state is the same after a header wherever it stands, so the part's lines read as they do in the whole file.
 */
export function parseIniDocument(text: string, file: string, firstLine = 1): IniDocument {
  const lines: IniLine[] = [];
  // configparser state: a section is open, a key can take continuation lines, indent of that key.
  let inSection = false;
  let keyOpen = false;
  let keyIndent = 0;
  let start = 0;
  let lineNo = firstLine - 1;
  const length = text.length;
  // Native indexOf for both break characters (fast even before the JIT warms up), refreshed lazily.
  let nextLf = text.indexOf('\n');
  let nextCr = text.indexOf('\r');
  while (start < length) {
    if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
    if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
    const end = nextLf === -1 ? (nextCr === -1 ? length : nextCr) : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
    let eol: LineEnding = '';
    let next = end;
    if (end < length) {
      if (text.charCodeAt(end) === CR) {
        eol = text.charCodeAt(end + 1) === LF ? '\r\n' : '\r';
      } else {
        eol = '\n';
      }
      next = end + eol.length;
    }
    lineNo++;
    const lineText = text.slice(start, end);
    const classified = classify(lineText, lineNo, eol, inSection, keyOpen, keyIndent);
    lines.push(classified);
    if (classified.kind === 'header') {
      inSection = true;
      keyOpen = false;
      keyIndent = classified.indent;
    } else if (classified.kind === 'entry') {
      keyOpen = classified.key !== '';
      keyIndent = classified.indent;
    } else if (classified.kind === 'other') {
      keyIndent = classified.indent;
    }
    start = next;
  }
  return { file, lines };
}

function classify(text: string, line: number, eol: LineEnding, inSection: boolean, keyOpen: boolean, keyIndent: number): IniLine {
  const length = text.length;
  const first = skipPySpace(text, 0, length);
  if (first === length) return { kind: 'blank', line, text, eol, indent: length };
  const c = text.charCodeAt(first);
  // configparser: `line.strip().startswith('#' or ';')`, however deep the indent.
  if (c === 0x23 || c === 0x3b) return { kind: 'comment', line, text, eol, indent: first };
  const last = trimPySpaceEnd(text, first, length);
  if (inSection && keyOpen && first > keyIndent) {
    return { kind: 'continuation', line, text, eol, indent: first, value: text.slice(first, last) };
  }
  if (c === 0x5b) {
    // SECTCRE `\[(?P<header>.+)\]` with match(): greedy, so the header ends at the LAST `]`.
    const close = text.lastIndexOf(']', last - 1);
    if (close >= first + 2) return { kind: 'header', line, text, eol, indent: first, name: text.slice(first + 1, close) };
  }
  // The first `=` or `:` (configparser's non-greedy `(?P<option>.*?)\s*(?P<vi>=|:)`).
  const eq = text.indexOf('=', first);
  const colon = text.indexOf(':', first);
  const i = eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon);
  if (i !== -1 && i < last) {
    const s = text.charCodeAt(i);
    let keyEnd = i;
    while (keyEnd > first && isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    const valueStart = skipPySpace(text, i + 1, last);
    return {
      kind: 'entry',
      line,
      text,
      eol,
      indent: first,
      key: text.slice(first, keyEnd),
      separator: s === 0x3d ? '=' : ':',
      value: text.slice(valueStart, last),
      valueStart,
    };
  }
  return { kind: 'other', line, text, eol, indent: first };
}

/** The exact text the document was parsed from (or edited into). */
export function serializeIniDocument(doc: IniDocument): string {
  let out = '';
  for (const l of doc.lines) out += l.text + l.eol;
  return out;
}

/** The file's line ending style: the first one it uses, `\n` for a file without any. */
export function detectLineEnding(doc: IniDocument): '\n' | '\r\n' | '\r' {
  for (const l of doc.lines) if (l.eol !== '') return l.eol;
  return '\n';
}
