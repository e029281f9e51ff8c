import { SwroleError, usageError } from '../../errors.js';
import type { ClaudeEnvironment } from './claude-environment.js';

/** How `swrole agent claude` hands the grant to Claude Code. */
export const MODES = ['view', 'env-file', 'keys'] as const;
export type Mode = (typeof MODES)[number];

function agentError(code: 'E_AGENT_SCRUB' | 'E_AGENT_BEDROCK', message: string, hint: string): SwroleError {
  return new SwroleError(code, message, { hint });
}

/**
 * PURE: the mode to use, given what Claude Code will do with it (docs/reference/claude-code-observed.md §1, §4);
 * refuses what cannot work instead of writing settings that fail or leak:
 *  - CLAUDE_CODE_SUBPROCESS_ENV_SCRUB strips AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and every key variable
 *    from the Bash tool: only env-file mode (exports prepended to each command) survives, so it is the default
 *    then, and view or keys are refused;
 *  - CLAUDE_CODE_USE_BEDROCK: Claude Code's own model client reads settings `env` too, so keys (which also move its
 *    region) are refused, and the view only when Bedrock has credentials of its own (`--bedrock-profile`, or an
 *    `awsCredentialExport` the user already has). env-file mode reaches the Bash tool only.
 */
export function chooseMode(explicit: string | undefined, claude: ClaudeEnvironment, bedrockProfile: string | undefined): Mode {
  if (explicit !== undefined && !(MODES as readonly string[]).includes(explicit)) {
    throw usageError('agent claude', `--mode ${explicit}: use view, env-file or keys`);
  }
  const scrubbed = claude.scrub;
  const mode: Mode = (explicit as Mode | undefined) ?? (scrubbed ? 'env-file' : 'view');
  if (scrubbed && mode !== 'env-file') {
    throw agentError(
      'E_AGENT_SCRUB',
      `CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is set (in ${scrubbed.from}): Claude Code strips AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and every key variable from the Bash tool, so --mode ${mode} cannot work`,
      'use --mode env-file (the default while the scrub is on): the SessionStart hook exports the view into each Bash command',
    );
  }
  const bedrock = claude.bedrock;
  if (bedrock && mode === 'keys') {
    throw agentError(
      'E_AGENT_BEDROCK',
      `Claude Code runs on Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK in ${bedrock.from}): keys in settings "env" would also sign its model calls (and move its region)`,
      'use --mode env-file (Bash only), or the default view mode with --bedrock-profile PROFILE',
    );
  }
  if (bedrock && mode === 'view' && bedrockProfile === undefined && claude.credentialExport === undefined) {
    throw agentError(
      'E_AGENT_BEDROCK',
      `Claude Code runs on Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK in ${bedrock.from}): the view's variables in settings "env" would also reach its model client, which would then sign model calls as the agent role`,
      'add --bedrock-profile PROFILE (the profile Claude Code should use for Bedrock; swrole writes "awsCredentialExport" into your user settings), or use --mode env-file (Bash only)',
    );
  }
  return mode;
}
