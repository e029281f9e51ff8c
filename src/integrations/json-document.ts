import { SwroleError } from '../errors.js';

/**
 * A strict JSON reader that keeps byte offsets, so that edits patch the text in place and every other byte
 * (key order, spacing, inline arrays, CRLF, trailing newline) stays as the user or Claude Code wrote it.
 * Claude Code's settings files are strict JSON (no comments, no trailing commas): anything else is refused
 * with file:line:column rather than "fixed" by a rewrite.
 */
export interface JsonMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  valueStart: number;
  /** Offset just past the value. */
  valueEnd: number;
  value: JsonNode;
}

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; elements: JsonNode[] }
  | { kind: 'other'; start: number; end: number };

export interface JsonStyle {
  /** One level of indentation: a tab or some spaces. */
  indent: string;
  eol: '\n' | '\r\n';
}

/**
 * How deep arrays and objects may nest. The reader recurses per level: a file nested 100,000 deep would
 * overflow the stack (a RangeError, reported as a bug); no settings file comes near this.
 */
export const MAX_JSON_DEPTH = 512;

/** Parses strict JSON into a span tree; throws E_SETTINGS_INVALID naming `file:line:column`. */
export function parseJsonDocument(text: string, file: string): JsonNode {
  let pos = text.startsWith('\uFEFF') ? 1 : 0;
  let depth = 0;

  const fail = (message: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    throw new SwroleError('E_SETTINGS_INVALID', `${file}:${line}:${column}: not valid JSON: ${message}`, {
      hint: 'fix the file by hand (Claude Code reads strict JSON: no comments, no trailing commas); swrole never overwrites a file it cannot parse',
    });
  };
  const skip = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos]!)) pos++;
    if (text[pos] === '/' && (text[pos + 1] === '/' || text[pos + 1] === '*')) fail('comments are not allowed');
  };
  const describe = (): string => (pos >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[pos])}`);

  const readString = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length) {
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return JSON.parse(text.slice(start, pos)) as string;
      }
      if (c === '\\') {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('bad \\u escape');
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else fail('bad escape in string');
      } else if (c < ' ') fail('control character in string');
      else pos++;
    }
    return fail('unterminated string', start);
  };

  const readValue = (): JsonNode => {
    skip();
    const start = pos;
    const c = text[pos];
    if ((c === '{' || c === '[') && depth >= MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (c === '{') {
      depth++;
      const node = readObject();
      depth--;
      return node;
    }
    if (c === '[') {
      depth++;
      const node = readArray(start);
      depth--;
      return node;
    }
    if (c === '"') {
      readString();
      return { kind: 'other', start, end: pos };
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 400));
    if (literal) {
      pos += literal[0].length;
      return { kind: 'other', start, end: pos };
    }
    if (c === '/') fail('comments are not allowed');
    return fail(describe());
  };

  const readArray = (start: number): JsonNode => {
    pos++;
    const elements: JsonNode[] = [];
    skip();
    if (text[pos] === ']') return { kind: 'array', start, end: ++pos, elements };
    for (;;) {
      elements.push(readValue());
      skip();
      if (text[pos] === ',') {
        pos++;
        skip();
        if (text[pos] === ']') fail('trailing comma');
        continue;
      }
      if (text[pos] === ']') return { kind: 'array', start, end: ++pos, elements };
      fail(`${describe()} in array`);
    }
  };

  const readObject = (): JsonNode => {
    const start = pos;
    pos++;
    const members: JsonMember[] = [];
    skip();
    if (text[pos] === '}') return { kind: 'object', start, end: ++pos, members };
    for (;;) {
      skip();
      if (text[pos] !== '"') fail(text[pos] === '}' ? 'trailing comma' : `${describe()} where a key was expected`);
      const keyStart = pos;
      const key = readString();
      skip();
      if (text[pos] !== ':') fail(`${describe()} where ":" was expected`);
      pos++;
      skip();
      const valueStart = pos;
      const value = readValue();
      members.push({ key, keyStart, valueStart, valueEnd: value.end, value });
      skip();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') return { kind: 'object', start, end: ++pos, members };
      fail(`${describe()} in object`);
    }
  };

  const root = readValue();
  skip();
  if (pos < text.length) fail(`${describe()} after the end of the document`);
  return root;
}

/** The last member named `key` (JSON.parse semantics for duplicates). */
export function findMember(node: JsonNode, key: string): JsonMember | undefined {
  if (node.kind !== 'object') return undefined;
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i]!.key === key) return node.members[i];
  return undefined;
}

/** Indent unit and line ending the file already uses (defaults: two spaces, LF). */
export function detectJsonStyle(text: string): JsonStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const match = /\n([ \t]+)\S/.exec(text);
  const lead = match?.[1] ?? '  ';
  const indent = lead.startsWith('\t') ? '\t' : lead;
  return { indent, eol };
}

/** The whitespace that starts the line holding `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** True when the text between `from` and `to` crosses a line break (the member sits on its own line). */
export function hasNewline(text: string, from: number, to: number): boolean {
  return text.slice(from, to).includes('\n');
}
