/**
 * The options swrole's commands accept, in node:util parseArgs's spec format (parseArgs ignores the extra
 * marks below). Plain data: the cache-hit fast path reads it before any command module loads.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /**
   * The fast path may answer an invocation that carries this option from the hit memo: its whole effect is in
   * the memo key (swrole's own arguments) and in the files the memo stamps. The allow-list is read only for
   * commands marked `fastPath`; an option without the mark sends the invocation to the full path.
   */
  readonly fastPath?: true;
  /** Its value names a profile (the agent guard checks it against the granted profiles). */
  readonly profile?: true;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Every command accepts these. Neither can be replayed: help prints help, debug explains the full path. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies OptionSpecs;

/** The scope flags shared by process/env/exec/login/whoami and the agent commands. */
export const SCOPE_OPTIONS = {
  'read-only': { type: 'boolean', fastPath: true },
  // The policy file's content is in the cache key and the file is stamped by the memo.
  policy: { type: 'string', fastPath: true },
  agent: { type: 'string', fastPath: true },
} as const satisfies OptionSpecs;

/** Flags shared by the commands that obtain credentials (login, exec, env, process, whoami). */
export const CREDENTIAL_OPTIONS = {
  profile: { type: 'string', fastPath: true, profile: true },
  region: { type: 'string', fastPath: true },
  duration: { type: 'string', fastPath: true },
  // A code is good once, for a prompt the memo never reaches: always the full path.
  'mfa-code': { type: 'string' },
  // The memo is part of the cache.
  'no-cache': { type: 'boolean' },
  // Hands out long-term keys, which are never memoised.
  'no-session': { type: 'boolean' },
  'source-config': { type: 'string', fastPath: true },
  'source-credentials': { type: 'string', fastPath: true },
  ...SCOPE_OPTIONS,
} as const satisfies OptionSpecs;

/** `swrole env` (and the shell function's `use`, which runs it). */
export const ENV_OPTIONS = {
  ...CREDENTIAL_OPTIONS,
  format: { type: 'string', short: 'f', fastPath: true },
  'names-comment': { type: 'boolean', fastPath: true },
} as const satisfies OptionSpecs;

/** The shells `swrole shell-init` supports. */
export const SHELL_NAMES = ['bash', 'zsh', 'fish', 'pwsh'] as const;
export type ShellName = (typeof SHELL_NAMES)[number];

export function isShellName(value: string): value is ShellName {
  return (SHELL_NAMES as readonly string[]).includes(value);
}
