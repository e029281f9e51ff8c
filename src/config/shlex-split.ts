/**
 * Python's `shlex.split(s)` (posix mode, no comments), which botocore applies to config-file section
 * names starting with `profile`, `sso-session` or `services` (configloader.py `_parse_section`).
 * Returns undefined where Python raises ValueError (unclosed quote, trailing backslash): botocore then
 * ignores the section.
 */
const WHITESPACE = ' \t\r\n';

export function shlexSplit(input: string): string[] | undefined {
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  // ' ' between tokens, 'a' in a word, '"' or "'" inside quotes, '\\' after a backslash.
  let state: ' ' | 'a' | '"' | "'" | '\\' = ' ';
  let escapedState: 'a' | '"' = 'a';
  const emit = (): void => {
    // posix shlex: an empty unquoted token means end of input; `""` is a real empty token.
    if (token !== '' || quoted) tokens.push(token);
    token = '';
    quoted = false;
  };
  for (const ch of input) {
    if (state === ' ' || state === 'a') {
      if (WHITESPACE.includes(ch)) {
        if (state === 'a') emit();
        state = ' ';
      } else if (ch === '\\') {
        escapedState = 'a';
        state = '\\';
      } else if (ch === '"' || ch === "'") {
        state = ch;
      } else {
        token += ch;
        state = 'a';
      }
    } else if (state === '"' || state === "'") {
      quoted = true;
      if (ch === state) {
        state = 'a';
      } else if (ch === '\\' && state === '"') {
        escapedState = '"';
        state = '\\';
      } else {
        token += ch;
      }
    } else {
      // Inside double quotes only `\"` and `\\` are escapes; elsewhere the backslash is kept.
      if (escapedState === '"' && ch !== '\\' && ch !== '"') token += '\\';
      token += ch;
      state = escapedState;
    }
  }
  if (state === '"' || state === "'" || state === '\\') return undefined;
  if (state === 'a') emit();
  return tokens;
}
