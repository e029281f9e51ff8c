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
const PROFILE_VARS = new Set(['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);
const KEY_VARS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']);
const KEY_SETTINGS = new Set(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token']);
const KEY_FLAGS = ['--access-key', '--secret-key', '--access-key-id', '--secret-access-key', '--session-token'];
/** Prefixes that run the next word as the command (Claude Code strips the same ones, permissions.md "Wrappers"). */
const WRAPPERS = new Set(['time', 'nohup', 'command', 'builtin', 'exec', 'noglob', 'stdbuf', 'nice', 'timeout', 'sudo', 'xargs', 'env']);
/** Tools that take `--profile NAME` the way the aws CLI does. */
const PROFILE_TOOLS = new Set(['aws', 'sam', 'cdk', 'copilot', 'eb']);
/** Access key ids: AKIA (long-term) and ASIA (temporary), 16 more characters (IAM identifiers reference). */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
const CREDENTIALS_FILE = /(?:~|\$\{?HOME\}?|\/home\/[^/\s]+|\/Users\/[^/\s]+|\/root)\/\.aws\/credentials\b/;

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

/** Skips leading `VAR=value` words and wrapper commands; returns the assignments seen and the real command. */
function unwrap(words: SimpleCommand): { assignments: Array<[string, ShellWord]>; argv: ShellWord[] } {
  const assignments: Array<[string, ShellWord]> = [];
  let k = 0;
  while (k < words.length) {
    const w = words[k]!;
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
    if (assignment) {
      assignments.push([assignment[1]!, { text: assignment[2]!, dynamic: w.dynamic }]);
      k++;
      continue;
    }
    if (!WRAPPERS.has(basename(w.text))) break;
    k++;
    // Options of the wrapper (`timeout -s KILL 5`, `nice -n 5`, `sudo -u x`), then timeout's duration.
    const wrapper = basename(w.text);
    while (k < words.length && words[k]!.text.startsWith('-')) {
      const takesValue = /^-(?:n|u|g|s|k|i|o|e|C|L|P)$/.test(words[k]!.text) && wrapper !== 'command';
      k += takesValue ? 2 : 1;
    }
    if (wrapper === 'timeout' && k < words.length && /^\d/.test(words[k]!.text)) k++;
  }
  return { assignments, argv: words.slice(k) };
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

function checkCommand(words: SimpleCommand, allowed: string[], depth: number): GuardDecision | undefined {
  const { assignments, argv } = unwrap(words);
  const head = argv[0];
  // `export AWS_PROFILE=x`, `declare -x ...`, `setenv`-like forms: their arguments are assignments too.
  if (head && (head.text === 'export' || head.text === 'declare' || head.text === 'typeset' || head.text === 'readonly')) {
    for (const w of argv.slice(1)) {
      const a = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
      if (a) assignments.push([a[1]!, { text: a[2]!, dynamic: w.dynamic }]);
    }
  }
  for (const [name, value] of assignments) {
    if (KEY_VARS.has(name) && value.text !== '') {
      return deny(
        `this command sets ${name} itself. This agent's AWS access comes from its granted profiles (AWS_PROFILE), never from keys: drop the assignment`,
      );
    }
    if (PROFILE_VARS.has(name) && value.text !== '') {
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

  if (program === 'swrole') {
    const { profiles, child } = swroleProfileWords(args);
    for (const { word, where } of profiles) {
      const verdict = profileVerdict(word, allowed, where);
      if (verdict) return verdict;
    }
    // `swrole exec dev-ro -- aws s3 ls --profile prod`: the command swrole runs is a command like any other.
    if (child.length > 0 && depth < 4) return checkCommand(child, allowed, depth + 1);
  }
  return undefined;
}

function decideCommandLine(command: string, allowed: string[], depth: number): GuardDecision {
  // Whole-text checks first: they see inside quotes, heredocs and substitutions the tokenizer keeps opaque.
  if (CREDENTIALS_FILE.test(command)) {
    return deny(
      "this command touches ~/.aws/credentials, the user's long-term keys, which are outside this agent's access; use the granted profiles (AWS_PROFILE) instead",
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
export function decideGuard(hookInput: unknown, allowedProfiles: string[]): GuardDecision {
  if (!isHookInput(hookInput) || hookInput.tool_name !== 'Bash') return ALLOW;
  const command = hookInput.tool_input?.command;
  if (typeof command !== 'string') return ALLOW;
  return decideCommandLine(command, allowedProfiles, 0);
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
