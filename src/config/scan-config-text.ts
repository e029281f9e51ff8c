/**
 * PURE: what a person copied into an AWS config or credentials file from a web page or a Japanese IME that every
 * AWS tool reads literally (issue 13, `swrole doctor`): values in quotes (`aws_access_key_id = "AKIA…"`: both
 * botocore and the SDK for JS keep the quotes, docs/reference/aws-behaviour.md §1.3) and full-width characters
 * (`region＝ap-northeast-1`, `ｒｅｇｉｏｎ`, an ideographic space U+3000): a full-width `＝` is no separator (the
 * AWS CLI refuses the file), a full-width letter makes another key or value. Read line by line, so it also
 * explains a file botocore cannot parse. Values of keys that may hold secrets are never repeated.
 */

export interface TextFinding {
  kind: 'quoted-value' | 'full-width';
  /** Where on the line: a section header is only a name (warn); a key, separator or value breaks the setting (fail). */
  where: 'header' | 'key' | 'separator' | 'value';
  file: string;
  line: number;
  message: string;
  fix: string;
}

/** Shell command lines, where quotes are the command's own (shlex and /bin/sh read them). */
const COMMAND_KEYS = new Set(['credential_process', 'mfa_process']);
/** Keys whose value must not be printed (or may be a key id, which is no secret but is a credential's name). */
const SECRET_KEY = /secret|token|access_key|password|passphrase/i;
const QUOTE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
];
/** Full-width forms of ASCII (U+FF01–U+FF5E) and the ideographic space. */
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/g;
const HAS_FULL_WIDTH = /[\uff01-\uff5e\u3000]/;

/** The ASCII character a full-width one stands for. */
export function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

const describeChars = (text: string) =>
  [...new Set(text.match(FULL_WIDTH) ?? [])]
    .map((c) => `"${c}" (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`)
    .join(', ');

export function scanConfigText(file: string, text: string): TextFinding[] {
  const found: TextFinding[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const at = `${file}:${line}`;
    if (trimmed.startsWith('[') || trimmed.startsWith('\uff3b')) {
      if (HAS_FULL_WIDTH.test(trimmed)) {
        found.push({
          kind: 'full-width',
          where: 'header',
          file,
          line,
          message: `${at}: the section header ${trimmed} has full-width characters ${describeChars(trimmed)}: AWS tools read a different name than the ASCII one you type`,
          fix: `write ${toHalfWidth(trimmed)}`,
        });
      }
      return;
    }
    // botocore's separators (= or :), and the full-width ones an IME gives.
    const sep = /[=:\uff1d\uff1a]/.exec(raw);
    const key = sep ? raw.slice(0, sep.index).trim() : '';
    const value = sep ? raw.slice(sep.index + 1).trim() : trimmed;
    const secret = SECRET_KEY.test(toHalfWidth(key));
    const fixedKey = toHalfWidth(key).toLowerCase();
    if (HAS_FULL_WIDTH.test(raw)) {
      const where = sep && /[\uff1d\uff1a]/.test(sep[0]) ? 'separator' : HAS_FULL_WIDTH.test(key) ? 'key' : 'value';
      const chars = describeChars(where === 'separator' ? sep![0] : where === 'key' ? key : value);
      const shown = secret ? '…' : toHalfWidth(value);
      const what = where === 'separator' ? 'separator' : where === 'key' ? `key "${key}"` : sep ? `value of "${key}"` : 'line';
      found.push({
        kind: 'full-width',
        where,
        file,
        line,
        message: `${at}: the ${what} has full-width characters ${secret && where === 'value' ? '' : `${chars} `}(typed with a Japanese IME): ${
          where === 'separator' ? 'the AWS CLI cannot parse the line' : 'AWS reads them as other characters than the ASCII ones'
        }`,
        fix: sep ? `retype it in half-width (ASCII): ${fixedKey} = ${shown}` : 'retype the line in half-width (ASCII) characters',
      });
    }
    if (!sep || COMMAND_KEYS.has(fixedKey) || value.length < 2) return;
    const pair = QUOTE_PAIRS.find(([open, close]) => value.startsWith(open) && value.endsWith(close));
    if (pair === undefined) return;
    const inner = value.slice(pair[0].length, value.length - pair[1].length);
    found.push({
      kind: 'quoted-value',
      where: 'value',
      file,
      line,
      message: `${at}: the value of "${key}" is in quotes: the AWS CLI and SDKs keep the quotes as part of the value${
        secret ? '' : ` (${value})`
      }`,
      fix: `remove the quotes: ${key} = ${secret ? '…' : inner}`,
    });
  });
  return found;
}
