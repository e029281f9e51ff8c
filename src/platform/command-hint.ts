/**
 * Command lines that hints suggest (`swrole login '顧客 B'`), quoted so that copying one into a POSIX shell (bash,
 * zsh, dash; fish reads these the same) runs exactly the words shown: a profile name or a path with a space, a
 * quote (O'Brien) or `$(…)` is data, never code (issue 13). The one quoting helper for every hint.
 */

/** Plain words go as they are; anything else in single quotes, a `'` written as `'\''`. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** `swrole login '顧客 B'`: the words of a suggested command, each quoted when it needs it. */
export function commandLine(...words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
