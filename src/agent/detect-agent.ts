import { SwroleError } from '../errors.js';

/**
 * Agent shells have no human at the keyboard: an MFA prompt there hangs or fails (docs/reference/agents.md §1.8).
 * These variables mark the known agents; any one of them means "never prompt".
 */
const AGENT_MARKERS: ReadonlyArray<[string, string]> = [
  ['CLAUDECODE', 'Claude Code'],
  ['CLAUDE_CODE_CHILD_SESSION', 'Claude Code'],
  ['CODEX_SANDBOX', 'Codex'],
  ['CODEX_SANDBOX_NETWORK_DISABLED', 'Codex'],
  ['CURSOR_AGENT', 'Cursor'],
  ['GEMINI_CLI', 'Gemini CLI'],
  ['COPILOT_AGENT', 'Copilot agent'],
  // GitHub Copilot CLI (@github/copilot 1.0.102) sets both in every shell command it runs, the model's and the
  // user's `!cmd` alike (measured; its commands get no terminal either: setsid, stdin /dev/null, pipes).
  ['COPILOT_CLI', 'Copilot CLI'],
  ['COPILOT_AGENT_SESSION_ID', 'Copilot CLI'],
];

/** Returns the name of the agent whose marker is set, or undefined. */
export function detectAgent(env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const [name, agent] of AGENT_MARKERS) {
    if (env[name] !== undefined && env[name] !== '') return agent;
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('CODEX_SANDBOX') && env[name]) return 'Codex';
  }
  return undefined;
}

/**
 * The user's own commands (granting roles, MFA logins, config edits) refuse to run inside an agent: an agent that
 * re-grants itself a profile or drops its scope (Claude Code hot-reloads settings) must not find swrole willing.
 * A guardrail like the guard hook: an agent can unset the markers, which is why --contain exists.
 */
export function refuseInsideAgent(command: string, env: Readonly<Record<string, string | undefined>>): void {
  const agent = detectAgent(env);
  if (agent === undefined) return;
  throw new SwroleError('E_HUMAN_ONLY', `\`swrole ${command}\` is for you, not for an agent: refused inside ${agent}`, {
    hint: `run \`swrole ${command}\` yourself in your own terminal (outside the agent)`,
  });
}
