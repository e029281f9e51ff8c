/**
 * What the shell completions offer, derived from the command registry (src/registry/command-registry.ts) so the
 * four shells offer exactly the registered, visible commands. A completion looks at the words between `swrole`
 * and the cursor, joined by one space (its "key"): '' → the commands, 'agent' → its subcommands, 'shell-init' →
 * the shells, 'exec' or 'agent claude' → profile names (from the hidden `swrole __complete profiles`, one per
 * line; they are data, never code: each shell inserts them quoted, never expands them).
 */
import { COMMANDS, allCommands, visibleNames } from '../registry/command-registry.js';
import { CONFLICTING_ENV } from '../output/env-vars.js';

export interface CompletionWord {
  word: string;
  summary: string | undefined;
}

export interface CompletionTable {
  /** Key → the fixed words offered there. */
  words: Array<{ key: string; words: CompletionWord[] }>;
  /** Keys after which profile names are offered. */
  profileKeys: string[];
}

export function completionTable(): CompletionTable {
  const topLevel = visibleNames().map((word) => ({ word, summary: COMMANDS[word as keyof typeof COMMANDS].summary }));
  const words: CompletionTable['words'] = [{ key: '', words: topLevel }];
  const profileKeys: string[] = [];
  for (const { path, spec } of allCommands()) {
    if (spec.hidden) continue;
    if (spec.subcommands) {
      const subs = spec.subcommands;
      words.push({ key: path, words: visibleNames(subs).map((word) => ({ word, summary: subs[word]!.summary })) });
    } else if (spec.operand === 'profile' || spec.operand === 'profiles') {
      profileKeys.push(path);
    } else if (spec.operand === 'command') {
      words.push({ key: path, words: topLevel });
    } else if (spec.operand !== undefined) {
      words.push({ key: path, words: spec.operand.choices.map((word) => ({ word, summary: undefined })) });
    }
  }
  return { words, profileKeys };
}

/**
 * What the first `swrole use` saves and `swrole use --clear` puts back (issue 13): every variable `use` sets or
 * unsets (the credentials, the region, AWS_PROFILE and its conflicts), so leaving a role returns the shell to the
 * profile, region and keys it had before. Later `use`s while one is active keep the first save.
 */
export const RESTORE_VARS: readonly string[] = [
  ...new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION', ...CONFLICTING_ENV]),
];

/** Variables `swrole use --clear` always unsets, besides those the last `use` exported. */
export const CLEAR_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'SWROLE_PROFILE',
] as const;
