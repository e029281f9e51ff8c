type Env = Readonly<Record<string, string | undefined>>;

const isOn = (value: string | undefined): boolean =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * PURE: Claude Code applies settings `env` to its own process too, so AWS_* values meant for the agent's Bash
 * commands also reach its Bedrock client (anthropics/claude-code#25394, #39826; docs/reference/agents.md §0 (finding 4)).
 */
export function bedrockWarning(env: Env): string | undefined {
  if (!isOn(env.CLAUDE_CODE_USE_BEDROCK)) return undefined;
  return (
    'Claude Code runs on Amazon Bedrock here (CLAUDE_CODE_USE_BEDROCK is set): the AWS_* values written to ' +
    ".claude/settings.local.json also reach Claude Code's own Bedrock client; give Bedrock its own credentials " +
    '(settings "awsCredentialExport" or "awsAuthRefresh") so the model connection does not run as the agent role'
  );
}

/** PURE: with CLAUDE_CODE_SUBPROCESS_ENV_SCRUB, cloud credentials are stripped from the Bash tool's environment (env-vars.md). */
export function scrubWarning(env: Env): string | undefined {
  if (!isOn(env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB)) return undefined;
  return 'CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is set: Claude Code may strip AWS_* variables from the Bash tool, so the agent may not see the profile swrole sets; check with `swrole whoami` inside the agent';
}
