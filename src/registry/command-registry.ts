/**
 * Every swrole command, declared once. This table drives dispatch and `swrole --help` (src/cli/), the lazy
 * loaders (src/cli/command-table.ts, typed over the paths declared here), the shell completions (src/shell/), the
 * agent guard's view of swrole's own commands (src/agent/guard/) and the cache-hit fast path's allow-list
 * (src/cli/fast-path.ts). It is plain data, read on the hot path: no command module, no dependency.
 * A command's full help text lives with its module (loaded only when asked for).
 */
import { COMMON_OPTIONS, CREDENTIAL_OPTIONS, ENV_OPTIONS, SCOPE_OPTIONS, SHELL_NAMES, type OptionSpecs } from './option-specs.js';

/** What a command's positional arguments are (completion offers them; the guard checks profiles). */
export type Operand = 'profile' | 'profiles' | 'command' | { readonly choices: readonly string[] };

export interface CommandSpec {
  /** One line for `swrole --help`, the group help and the fish completion. */
  readonly summary: string;
  /** Its arguments, as the group help lists them (`PROFILE...`). */
  readonly synopsis?: string;
  /** A group's help text between the usage line and the list of subcommands. */
  readonly description?: string;
  /** Works but is not offered: no help listing, no completion, no "did you mean". */
  readonly hidden?: true;
  /** Its options besides COMMON_OPTIONS (--help, --debug). */
  readonly options?: OptionSpecs;
  /** Its first positional argument (`profiles`: every positional). */
  readonly operand?: Operand;
  /** After swrole's own arguments comes a command line of its own (`exec PROFILE [--] CMD...`). */
  readonly child?: true;
  /** The cache-hit fast path may answer it (with the options marked `fastPath` only). */
  readonly fastPath?: true;
  /**
   * The user's own command (it grants roles, logs in with MFA or edits the user's files): refused inside an agent
   * (src/agent/detect-agent.ts) and denied by the agent guard.
   */
  readonly humanOnly?: true;
  /** The old name of another subcommand of the same group, still in files written by earlier versions: its help is that one's. */
  readonly aliasOf?: string;
  readonly subcommands?: Readonly<Record<string, CommandSpec>>;
}

const AGENT_SCOPE = {
  default: { type: 'string', profile: true },
  'read-only': SCOPE_OPTIONS['read-only'],
  policy: SCOPE_OPTIONS.policy,
  duration: { type: 'string' },
} as const satisfies OptionSpecs;

const { 'no-session': _noSession, ...CONSOLE_CREDENTIAL_OPTIONS } = CREDENTIAL_OPTIONS;

/** In the order `swrole --help` lists them. */
export const COMMANDS = {
  list: {
    summary: 'list every profile with its kind, role, account, source, MFA and region',
    options: { json: { type: 'boolean' } },
  },
  explain: {
    summary: 'show how a profile resolves, step by step (no AWS call)',
    operand: 'profile',
    options: { profile: { type: 'string', profile: true }, region: { type: 'string' }, json: { type: 'boolean' } },
  },
  setup: {
    humanOnly: true,
    summary: 'add PROFILE.swrole credential_process profiles to ~/.aws/config (lossless, backed up)',
    operand: 'profiles',
    options: { remove: { type: 'boolean' } },
  },
  'shell-init': {
    summary: 'print the shell function for `swrole use` with completion (bash, zsh, fish, pwsh)',
    operand: { choices: SHELL_NAMES },
    options: { path: { type: 'string' } },
  },
  use: {
    summary: 'switch the current shell to a profile (needs `swrole shell-init`)',
    operand: 'profile',
    // The shell function runs `swrole env PROFILE [options]`; `--clear` undoes the last `use`.
    options: { ...ENV_OPTIONS, clear: { type: 'boolean' } },
  },
  __complete: { summary: 'completion helper: `__complete profiles` prints every profile name', hidden: true },
  login: {
    humanOnly: true,
    summary: 'MFA once per source identity, or sign in to IAM Identity Center, then pre-fetch the role',
    operand: 'profile',
    options: { ...CREDENTIAL_OPTIONS, force: { type: 'boolean' }, 'device-code': { type: 'boolean' }, 'sso-session': { type: 'string' } },
  },
  exec: {
    summary: "run a command with the role's credentials in its environment (--server: a refreshing endpoint instead)",
    operand: 'profile',
    child: true,
    fastPath: true,
    // --force (nesting) is left to the full path, which explains a refused nesting; --server starts an endpoint.
    options: { ...CREDENTIAL_OPTIONS, force: { type: 'boolean' }, server: { type: 'boolean' } },
  },
  serve: {
    summary: 'serve the role to other processes on a loopback credential endpoint (SDKs refresh from it)',
    operand: 'profile',
    options: { ...CREDENTIAL_OPTIONS, port: { type: 'string' }, 'print-env': { type: 'string' } },
  },
  console: {
    summary: 'open the AWS console signed in as the role (or --print the sign-in URL)',
    operand: 'profile',
    // --no-session has nothing to do here: long-term keys sign in through GetFederationToken, never as they are.
    options: { ...CONSOLE_CREDENTIAL_OPTIONS, print: { type: 'boolean' }, destination: { type: 'string' }, service: { type: 'string' } },
  },
  env: {
    summary: "print the role's credentials as shell exports (sh, fish, pwsh, cmd, dotenv, json)",
    operand: 'profile',
    fastPath: true,
    // --pick (what `swrole use` without a profile runs) opens the profile picker, or is a usage error without a terminal.
    options: { ...ENV_OPTIONS, pick: { type: 'boolean' } },
  },
  process: {
    summary: 'credential_process JSON for SDKs and tools (never prompts)',
    operand: 'profile',
    fastPath: true,
    options: CREDENTIAL_OPTIONS,
  },
  whoami: {
    summary: "who the credentials are (GetCallerIdentity): a profile's, or without one this shell's own",
    operand: 'profile',
    options: { ...CREDENTIAL_OPTIONS, json: { type: 'boolean' } },
  },
  sessions: {
    summary: 'every cached MFA and role session: profile, identity, expiry (time left), source',
    options: { json: { type: 'boolean' } },
  },
  doctor: {
    summary:
      'check the AWS config files, clock, state dir, installed paths, agent settings and environment (ok/warn/fail, each with its fix)',
    operand: 'profile',
    options: { json: { type: 'boolean' } },
  },
  logout: {
    humanOnly: true,
    summary: 'remove cached sessions of a profile, or --all',
    operand: 'profile',
    options: { all: { type: 'boolean' }, profile: { type: 'string', profile: true }, 'source-config': { type: 'string' } },
  },
  keys: {
    summary: 'keep IAM user keys in the OS keyring or encrypted files, not plaintext: add, import, list, remove, rotate',
    synopsis: 'SUBCOMMAND ...',
    description:
      "Keep long-term IAM user keys out of plaintext ~/.aws/credentials: in the Secret Service or in swrole's encrypted files. Every AWS tool keeps working through `swrole process`, and gets sessions, never the keys.",
    subcommands: {
      add: {
        humanOnly: true,
        summary: 'store a key typed at the terminal (or --from-env) and point the profile at it',
        synopsis: 'PROFILE',
        operand: 'profile',
        options: { 'from-env': { type: 'boolean' }, keyring: { type: 'string' } },
      },
      import: {
        humanOnly: true,
        summary: "move a profile's plaintext key from ~/.aws/credentials (or aws-vault's file keyring) into the keyring",
        synopsis: 'PROFILE',
        operand: 'profile',
        options: { yes: { type: 'boolean' }, keyring: { type: 'string' }, 'from-aws-vault-file': { type: 'string' } },
      },
      list: { summary: 'show which profiles have keys where (never the secret)', options: { json: { type: 'boolean' } } },
      remove: {
        humanOnly: true,
        summary: "delete a profile's key, its cached sessions and swrole's lines in the profile",
        synopsis: 'PROFILE',
        operand: 'profile',
        options: { keyring: { type: 'string' } },
      },
      rotate: {
        humanOnly: true,
        summary: 'replace the key with a new IAM access key (create, wait until it works, delete the old one)',
        synopsis: 'PROFILE',
        operand: 'profile',
        options: { resume: { type: 'boolean' }, wait: { type: 'string' }, 'mfa-code': { type: 'string' } },
      },
    },
  },
  sso: {
    summary: 'IAM Identity Center: profiles for every account and role of a sign-in',
    synopsis: 'SUBCOMMAND ...',
    description: 'IAM Identity Center (SSO). Sign in with `swrole login PROFILE`; sign out with `swrole logout PROFILE`.',
    subcommands: {
      profiles: {
        summary: 'print (or --write) one profile per account and role of a sign-in (ListAccounts, ListAccountRoles)',
        synopsis: 'PROFILE | --session NAME | --start-url URL --region R',
        operand: 'profile',
        options: {
          session: { type: 'string' },
          'start-url': { type: 'string' },
          region: { type: 'string' },
          write: { type: 'boolean' },
          prefix: { type: 'string' },
          template: { type: 'string' },
          'source-config': { type: 'string' },
        },
      },
    },
  },
  agent: {
    summary: 'give an AI coding agent a role: claude, env, guard, statusline',
    synopsis: 'SUBCOMMAND ...',
    description: 'Give an AI coding agent a role: it gets a view of the granted profiles, never your keys or your MFA.',
    subcommands: {
      claude: {
        humanOnly: true,
        summary: 'set up Claude Code in a project (.claude/settings.local.json), see `swrole agent claude --help`',
        synopsis: 'PROFILE...',
        operand: 'profiles',
        options: {
          ...AGENT_SCOPE,
          mode: { type: 'string' },
          dir: { type: 'string' },
          remove: { type: 'boolean' },
          guard: { type: 'boolean' },
          statusline: { type: 'boolean' },
          'bedrock-profile': { type: 'string', profile: true },
          contain: { type: 'boolean' },
          'allow-domain': { type: 'string', multiple: true },
          // Accepted for earlier scripts: env-file mode now always installs its hook.
          install: { type: 'boolean' },
        },
      },
      env: {
        humanOnly: true,
        summary: 'the same view for any other agent or CI: prints AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE',
        synopsis: 'PROFILE...',
        operand: 'profiles',
        options: { ...AGENT_SCOPE, format: { type: 'string' }, agent: SCOPE_OPTIONS.agent },
      },
      guard: {
        summary: 'Claude Code PreToolUse hook that denies commands naming other profiles or keys',
        synopsis: '--allow LIST',
        options: { allow: { type: 'string', multiple: true } },
      },
      statusline: { summary: "one line for Claude Code's statusLine: role, account, time left (no AWS call)" },
      'session-hook': { summary: 'Claude Code SessionStart/FileChanged hook of `agent claude`', hidden: true },
      // The old name of session-hook, still written in settings made by earlier versions.
      'env-file-hook': { summary: 'Claude Code SessionStart hook (old name of session-hook)', hidden: true, aliasOf: 'session-hook' },
    },
  },
  help: { summary: 'show the help of swrole or of a command (`swrole help exec`)', operand: 'command' },
} as const satisfies Readonly<Record<string, CommandSpec>>;

/** `exec`, `agent claude`: a path to a command that runs (groups are not leaves). */
type LeafPaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends { readonly subcommands: infer S } ? LeafPaths<S, `${Prefix}${K} `> : `${Prefix}${K}`;
}[keyof T & string];
export type CommandPath = LeafPaths<typeof COMMANDS>;

/** The commands the fast path may answer. */
export type FastPathCommand = {
  [K in keyof typeof COMMANDS]: (typeof COMMANDS)[K] extends { readonly fastPath: true } ? K : never;
}[keyof typeof COMMANDS];

const own = (table: Readonly<Record<string, CommandSpec>>, name: string): CommandSpec | undefined =>
  Object.hasOwn(table, name) ? table[name] : undefined;

/** The top-level command or group named `name`. */
export function findCommand(name: string): CommandSpec | undefined {
  return own(COMMANDS, name);
}

/** A group's subcommand. */
export function findSubcommand(group: CommandSpec, name: string): CommandSpec | undefined {
  return group.subcommands === undefined ? undefined : own(group.subcommands, name);
}

/** The names a listing, a completion or a suggestion offers: the visible entries of a table, in order. */
export function visibleNames(table: Readonly<Record<string, CommandSpec>> = COMMANDS): string[] {
  return Object.entries(table)
    .filter(([, spec]) => spec.hidden !== true)
    .map(([name]) => name);
}

/** The spec options plus --help and --debug: what parseArgs and the fast path see. */
export function optionsOf(spec: CommandSpec): OptionSpecs {
  return { ...COMMON_OPTIONS, ...spec.options };
}

export interface CommandEntry {
  /** `exec`, `agent claude` */
  path: string;
  spec: CommandSpec;
}

/** Every command and group, depth first (groups before their subcommands), hidden ones included. */
export function allCommands(): CommandEntry[] {
  const out: CommandEntry[] = [];
  const walk = (table: Readonly<Record<string, CommandSpec>>, prefix: string) => {
    for (const [name, spec] of Object.entries(table)) {
      out.push({ path: `${prefix}${name}`, spec });
      if (spec.subcommands) walk(spec.subcommands, `${prefix}${name} `);
    }
  };
  walk(COMMANDS, '');
  return out;
}
