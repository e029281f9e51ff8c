/**
 * Python's `json.dumps(obj)` with its defaults (separators `", "` and `": "`, `ensure_ascii=True`), for the flat
 * objects the AWS CLI writes to ~/.aws/sso/cache (docs/reference/sso-keyring-console.md A.6): swrole's files must be
 * byte-compatible with what `aws sso login` writes, and the registration cache key is a sha1 of such text.
 */
export function pyJsonDumps(value: unknown, sortKeys = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pyString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => pyJsonDumps(item, sortKeys)).join(', ')}]`;
  const keys = Object.keys(value as object).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  if (sortKeys) keys.sort();
  return `{${keys.map((key) => `${pyString(key)}: ${pyJsonDumps((value as Record<string, unknown>)[key], sortKeys)}`).join(', ')}}`;
}

/** JSON.stringify's escapes, then every non-ASCII UTF-16 unit as `\uXXXX` (lower-case hex, as Python writes it). */
function pyString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
