/**
 * The few Python string semantics botocore's reader relies on (configparser runs on Python `str`),
 * so that swrole trims, indents and splits exactly like the AWS CLI.
 */

/**
 * `str.isspace()` / regex `\s` on Python `str`. Differs from JS `trim()`: Python also counts
 * U+001C–U+001F and U+0085 and does NOT count U+FEFF (the BOM), which is why a BOM breaks botocore.
 */
export function isPySpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Index of the first non-space character at or after `from`, or `end` when there is none. */
export function skipPySpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isPySpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the last non-space character before `end`, or `from` when there is none. */
export function trimPySpaceEnd(text: string, from: number, end: number): number {
  let i = end;
  while (i > from && isPySpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Python `str.strip()`. */
export function pyStrip(text: string): string {
  const start = skipPySpace(text, 0, text.length);
  return text.slice(start, trimPySpaceEnd(text, start, text.length));
}

/** Python `str.splitlines()` (used by botocore's `_parse_nested`): more breaks than universal newlines. */
export function pySplitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isBreak = (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c === 0x85 || c === 0x2028 || c === 0x2029;
    if (!isBreak) continue;
    lines.push(text.slice(start, i));
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}
