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
