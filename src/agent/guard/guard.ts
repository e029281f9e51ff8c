import { parseShellCommands, type ShellWord, type SimpleCommand } from './shell-words.js';
import { swroleProfileWords } from './swrole-profile-words.js';

/**
 * The Claude Code PreToolUse guard (docs/reference/agents.md §1.5), decided as plain data. It is a user-facing layer,
 * not the boundary: the session policy and the agent's own AWS config view are. Claude Code's docs call
 * argument-matching rules fragile and hooks best effort (agents.md §4), so the guard looks for the mistakes an
 * agent plausibly makes — another profile, literal keys, the user's long-term credentials file — and nothing
 * it cannot see: variables, eval of computed strings, scripts, aliases.
 */
export type GuardDecision = { decision: 'allow' } | { decision: 'deny'; reason: string };

const ALLOW: GuardDecision = { decision: 'allow' };
/** What the agent may set only to a granted profile (never unset or empty: the default profile would take over). */
const PROFILE_VARS = new Set(['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);
/** What points the agent's tools at its view: never changed, exported or unset by the agent. */
const VIEW_VARS = new Set(['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']);
const KEY_VARS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']);
const KEY_SETTINGS = new Set(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token']);
const KEY_FLAGS = ['--access-key', '--secret-key', '--access-key-id', '--secret-access-key', '--session-token'];
/** Prefixes that run the next word as the command (Claude Code strips the same ones, permissions.md "Wrappers"). */
const WRAPPERS = new Set(['time', 'nohup', 'command', 'builtin', 'exec', 'noglob', 'stdbuf', 'nice', 'timeout', 'sudo', 'xargs', 'env']);
/** Tools that take `--profile NAME` the way the aws CLI does. */
const PROFILE_TOOLS = new Set(['aws', 'sam', 'cdk', 'copilot', 'eb']);
/**
 * Access key ids: AKIA (long-term) and ASIA (temporary), 16 more characters (IAM identifiers reference). AWS's
 * documentation examples (AKIAIOSFODNN7EXAMPLE and friends) all end in EXAMPLE: they are text, not keys.
 */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)(?![A-Z0-9]{9}EXAMPLE\b)[A-Z0-9]{16}\b/;
/** A home directory as a command may spell it. */
const HOME = String.raw`(?:~|\$\{?HOME\}?|/home/[^/\s'"]+|/Users/[^/\s'"]+|/root)`;
/** The user's AWS files and swrole's own state (its MFA sessions among them), as a command may name them. */
const PRIVATE_PLACES = new RegExp(String.raw`${HOME}/(?:\.aws|\.cache/swrole|\.local/state/swrole)(?![\w.-])`);

interface HookInput {
  tool_name: string;
  tool_input?: { command?: unknown };
}

function isHookInput(value: unknown): value is HookInput {
  return typeof value === 'object' && value !== null && typeof (value as { tool_name?: unknown }).tool_name === 'string';
}

const basename = (word: string): string => word.slice(word.lastIndexOf('/') + 1);

function deny(reason: string): GuardDecision {
  return { decision: 'deny', reason: `swrole guard: ${reason}` };
}

interface Unwrapped {
  /** `VAR=value` words before the command (and those of `env VAR=value`). */
  assignments: Array<[string, ShellWord]>;
  /** Variables the command line removes: `env -u NAME`, `env --unset=NAME`. */
  unsets: string[];
  /** `env -i` / `env -` / `env --ignore-environment`: the command runs with an empty environment. */
  clearsEnvironment: boolean;
  argv: ShellWord[];
}

/** Skips leading `VAR=value` words and wrapper commands; returns what they change and the real command. */
function unwrap(words: SimpleCommand): Unwrapped {
  const out: Unwrapped = { assignments: [], unsets: [], clearsEnvironment: false, argv: [] };
  let k = 0;
  while (k < words.length) {
    const w = words[k]!;
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
    if (assignment) {
      out.assignments.push([assignment[1]!, { text: assignment[2]!, dynamic: w.dynamic }]);
      k++;
      continue;
    }
    if (!WRAPPERS.has(basename(w.text))) break;
    k++;
    // Options of the wrapper (`timeout -s KILL 5`, `nice -n 5`, `sudo -u x`, `env -u NAME`), then timeout's duration.
    const wrapper = basename(w.text);
    while (k < words.length && words[k]!.text.startsWith('-')) {
      const option = words[k]!.text;
      if (wrapper === 'env') {
        if (option === '-i' || option === '-' || option === '--ignore-environment') out.clearsEnvironment = true;
        else if (option === '-u' && words[k + 1]) out.unsets.push(words[k + 1]!.text);
        else if (option.startsWith('--unset=')) out.unsets.push(option.slice('--unset='.length));
        else if (/^-u./.test(option)) out.unsets.push(option.slice(2));
      }
      const takesValue = /^-(?:n|u|g|s|k|i|o|e|C|L|P)$/.test(option) && wrapper !== 'command' && !(wrapper === 'env' && option === '-i');
      k += takesValue ? 2 : 1;
    }
    if (wrapper === 'timeout' && k < words.length && /^\d/.test(words[k]!.text)) k++;
  }
  out.argv = words.slice(k);
  return out;
}

function profileVerdict(name: ShellWord, allowed: string[], where: string): GuardDecision | undefined {
  const list = allowed.length > 0 ? allowed.join(', ') : 'none';
  if (name.dynamic) {
    return deny(
      `${where} takes its profile from a variable or substitution, which the guard cannot check; name one of the granted profiles literally (allowed: ${list})`,
    );
  }
  if (allowed.includes(name.text)) return undefined;
  return deny(
    `profile "${name.text}" (${where}) is not granted to this agent (allowed: ${list}). Use one of those, or ask the user to grant it with \`swrole agent claude ${name.text}\``,
  );
}

/** A swrole run by path (`node …/swrole.js`, `./dist/swrole.js`, `npx swrole`) instead of by name. */
function isSwroleByPath(program: string, head: ShellWord, args: readonly ShellWord[]): boolean {
  const isSwroleFile = (text: string) => /(?:^|\/)swrole(?:\.[cm]?js)?$/.test(text) || /\/swrole\/dist\//.test(text);
  if (program === 'swrole' || program === 'swrole.js') return head.text.includes('/');
  if (/^(?:node|nodejs|bun|deno)$/.test(program)) return args.some((a) => !a.text.startsWith('-') && isSwroleFile(a.text));
  if (/^(?:npx|pnpx|bunx)$/.test(program) || (program === 'npm' && args[0]?.text === 'exec'))
    return args.some((a) => a.text === 'swrole' || a.text.startsWith('swrole@'));
  return false;
}

function checkCommand(words: SimpleCommand, allowed: string[], depth: number): GuardDecision | undefined {
  const { assignments, unsets, clearsEnvironment, argv } = unwrap(words);
  const head = argv[0];
  // `export AWS_PROFILE=x`, `declare -x ...`, `setenv`-like forms: their arguments are assignments too.
  if (head && (head.text === 'export' || head.text === 'declare' || head.text === 'typeset' || head.text === 'readonly')) {
    for (const w of argv.slice(1)) {
      const a = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
      if (a) assignments.push([a[1]!, { text: a[2]!, dynamic: w.dynamic }]);
      else if (VIEW_VARS.has(w.text) || PROFILE_VARS.has(w.text)) unsets.push(w.text); // `export -n NAME`, `declare +x NAME`
    }
  }
  if (head && head.text === 'unset') for (const w of argv.slice(1)) if (!w.text.startsWith('-')) unsets.push(w.text);
  if (clearsEnvironment) {
    return deny(
      '`env -i` drops the variables that give this agent its granted profiles (AWS_CONFIG_FILE, AWS_PROFILE); run the command without it',
    );
  }
  for (const name of unsets) {
    if (VIEW_VARS.has(name) || PROFILE_VARS.has(name)) {
      return deny(`this command removes ${name}, which gives this agent its granted profiles; leave it as it is`);
    }
  }
  for (const [name, value] of assignments) {
    if (KEY_VARS.has(name) && value.text !== '') {
      return deny(
        `this command sets ${name} itself. This agent's AWS access comes from its granted profiles (AWS_PROFILE), never from keys: drop the assignment`,
      );
    }
    if (VIEW_VARS.has(name)) {
      return deny(`this command changes ${name}, which points this agent's AWS tools at its granted profiles; leave it as it is`);
    }
    if (PROFILE_VARS.has(name)) {
      if (value.text === '' && !value.dynamic) {
        return deny(`this command empties ${name}; name one of the granted profiles instead (allowed: ${allowed.join(', ') || 'none'})`);
      }
      const verdict = profileVerdict(value, allowed, `${name}=`);
      if (verdict) return verdict;
    }
  }
  if (head === undefined) return undefined;
  const program = basename(head.text);
  const args = argv.slice(1);

  // `bash -c "..."` and `eval "..."`: look inside the string, which is one more command line.
  if (depth < 4 && (program === 'eval' || (/^(?:ba|z|da|k)?sh$/.test(program) && args[0]?.text === '-c'))) {
    const body = program === 'eval' ? args.map((a) => a.text).join(' ') : (args[1]?.text ?? '');
    return decideCommandLine(body, allowed, depth + 1);
  }

  if (PROFILE_TOOLS.has(program)) {
    for (let k = 0; k < args.length; k++) {
      const w = args[k]!;
      if (w.text === '--profile' && args[k + 1]) {
        const verdict = profileVerdict(args[k + 1]!, allowed, `${program} --profile`);
        if (verdict) return verdict;
      } else if (w.text.startsWith('--profile=')) {
        const verdict = profileVerdict({ text: w.text.slice('--profile='.length), dynamic: w.dynamic }, allowed, `${program} --profile`);
        if (verdict) return verdict;
      } else if (KEY_FLAGS.some((f) => w.text === f || w.text.startsWith(`${f}=`))) {
        return deny(
          `\`${program} ${w.text.split('=')[0]}\` passes AWS keys on the command line; this agent uses its granted profiles only`,
        );
      }
    }
    const positional = args.filter((w) => !w.text.startsWith('-')).map((w) => w.text.toLowerCase());
    if (program === 'aws' && positional[0] === 'configure' && positional[1] === 'set' && positional[2] !== undefined) {
      const setting = positional[2].split('.').at(-1)!;
      if (KEY_SETTINGS.has(setting)) return deny(`\`aws configure set ${setting}\` writes AWS keys; this agent must not store or use keys`);
    }
  }

  if (isSwroleByPath(program, head, args)) {
    return deny('run swrole by its name (`swrole ...`), not by a path or through node/npx: only the swrole on PATH is known here');
  }
  if (program === 'swrole') {
    const { profiles, child, humanOnly } = swroleProfileWords(args);
    if (humanOnly !== undefined) {
      return deny(
        `\`swrole ${humanOnly}\` is for the user, in their own terminal (granting roles, MFA logins and config edits are theirs); ask the user to run it`,
      );
    }
    for (const { word, where } of profiles) {
      const verdict = profileVerdict(word, allowed, where);
      if (verdict) return verdict;
    }
    // `swrole exec dev-ro -- aws s3 ls --profile prod`: the command swrole runs is a command like any other.
    if (child.length > 0 && depth < 4) return checkCommand(child, allowed, depth + 1);
  }
  return undefined;
}

function decideCommandLine(command: string, allowed: string[], depth: number, privatePaths: readonly string[] = []): GuardDecision {
  // Whole-text checks first: they see inside quotes, heredocs and substitutions the tokenizer keeps opaque.
  if (PRIVATE_PLACES.test(command) || privatePaths.some((path) => path !== '' && command.includes(path))) {
    return deny(
      "this command touches ~/.aws or swrole's state directory (the user's keys, config and MFA sessions), which are outside this agent's access; use the granted profiles (AWS_PROFILE) instead",
    );
  }
  if (ACCESS_KEY_ID.test(command)) {
    return deny(
      'this command contains a literal AWS access key id; this agent must not use or pass keys. Use the granted profiles (AWS_PROFILE) instead',
    );
  }
  for (const words of parseShellCommands(command)) {
    const verdict = checkCommand(words, allowed, depth);
    if (verdict) return verdict;
  }
  return ALLOW;
}

/** PURE: the decision for one Claude Code PreToolUse hook input. Anything that is not a Bash call is allowed. */
export function decideGuard(hookInput: unknown, allowedProfiles: string[], privatePaths: readonly string[] = []): GuardDecision {
  if (!isHookInput(hookInput) || hookInput.tool_name !== 'Bash') return ALLOW;
  const command = hookInput.tool_input?.command;
  if (typeof command !== 'string') return ALLOW;
  return decideCommandLine(command, allowedProfiles, 0, privatePaths);
}

/**
 * The hook's stdout. A deny uses the documented JSON form (hookSpecificOutput.permissionDecision). An allow
 * prints nothing: a JSON "allow" would auto-approve the command and skip the user's own permission rules.
 */
export function renderGuardOutput(decision: GuardDecision): string {
  if (decision.decision === 'allow') return '';
  return `${JSON.stringify({
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: decision.reason },
  })}\n`;
}
