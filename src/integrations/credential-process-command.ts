import { quoteSh } from '../output/shell-quote.js';
/**
 * The `credential_process` line that calls swrole by absolute paths. It must survive two different
 * parsers: botocore splits it with `shlex.split` (POSIX rules, no shell) and the AWS SDK for JS runs it
 * through `/bin/sh -c` (docs/reference/aws-behaviour.md §3.2). Single quotes, with `'` written as `'\''`,
 * mean the same thing to both.
 */
export function quoteShellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : quoteSh(word);
}

export function renderCredentialProcessCommand(nodePath: string, selfPath: string, args: readonly string[]): string {
  return [nodePath, selfPath, ...args].map(quoteShellWord).join(' ');
}

/** The config-file header for a profile name: quoted (botocore's shlex) when the name needs it. */
export function renderProfileHeader(name: string): string {
  if (name === 'default') return 'default';
  return /^[A-Za-z0-9_@%+.:/-]+$/.test(name) ? `profile ${name}` : `profile "${name.replace(/(["\\])/g, '\\$1')}"`;
}
