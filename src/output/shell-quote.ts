import { SwroleError } from '../errors.js';

/** POSIX sh (bash, zsh, dash, ksh): single quotes keep everything literal; a ' is closed, escaped, reopened. */
export function quoteSh(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** fish: inside single quotes only \\ and \' are escapes (fish docs, "Quotes"). */
export function quoteFish(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * PowerShell verbatim string: a quote is doubled. PowerShell also treats the typographic quotes
 * U+2018 U+2019 U+201A U+201B as single quotes (about_Quoting_Rules), so those are doubled too.
 */
export function quotePwsh(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/**
 * cmd.exe `set "K=v"`: inside the quotes & | < > ^ are literal, but nothing escapes `%` (expanded on the
 * command line; `%%` only works in .bat files), `!` (delayed expansion), `"` or a line break.
 * Credentials never contain them; anything that does is refused rather than exported wrong.
 */
export function quoteCmd(name: string, value: string): string {
  const bad = /[%!"\r\n\0]|[\u0000-\u001f]/.exec(value);
  if (bad !== null) {
    throw new SwroleError('E_OUTPUT_UNSAFE', `${name} contains ${JSON.stringify(bad[0])}, which cmd.exe cannot carry in set "K=v"`, {
      hint: 'use --format pwsh or --format json instead of cmd',
    });
  }
  return `"${name}=${value}"`;
}

/**
 * dotenv double-quoted value, as python-dotenv (and docker compose env_file) read it: \\ \" \n \r \t are
 * escapes. `$` is refused: python-dotenv interpolates ${X} even when escaped, compose and dotenv-expand
 * interpolate $X, and no escape means the same to all of them. (Not for `docker run --env-file`, which
 * takes everything after = literally, quotes included.)
 */
export function quoteDotenv(name: string, value: string): string {
  // python-dotenv 1.2's quoted-value regex reads `\\"` as an escaped quote, so a trailing backslash
  // swallows the closing quote and the following lines.
  const problem = value.includes('$')
    ? '"$", which dotenv parsers disagree on (they interpolate variables)'
    : value.endsWith('\\')
      ? 'a trailing backslash, which python-dotenv misreads'
      : undefined;
  if (problem !== undefined) {
    throw new SwroleError('E_OUTPUT_UNSAFE', `${name} contains ${problem}`, {
      hint: 'use --format json or --format sh instead of dotenv',
    });
  }
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
  return `"${escaped}"`;
}
