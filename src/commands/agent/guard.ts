import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { usageError } from '../../errors.js';
import { decideGuard, renderGuardOutput } from '../../agent/guard/guard.js';
import { COMMANDS } from '../../registry/command-registry.js';

const MAX_INPUT_BYTES = 1024 * 1024;
const INPUT_TIMEOUT_MS = 1000;

export const help = `Usage: swrole agent guard --allow PROFILE[,PROFILE...]

Claude Code PreToolUse hook: reads the hook input (JSON) on stdin and denies Bash commands that
  - name a profile that is not granted (aws --profile X, AWS_PROFILE=X, export AWS_PROFILE=X, swrole exec X
    and every other swrole command or option that takes a profile, or what swrole exec runs),
  - pass or store AWS keys (AWS_ACCESS_KEY_ID=..., --access-key, aws configure set aws_secret_access_key),
  - touch the user's ~/.aws/credentials.
A deny is printed as {"hookSpecificOutput":{"permissionDecision":"deny",...}}; anything else prints nothing
and exits 0, so Claude Code's own permission rules still apply. Malformed or missing input is allowed with a
note on stderr: a broken guard must not block every command of the agent. The guard is a convenience layer;
the agent's real boundary is its profile view and session policy.

Options:
  --allow LIST   granted profiles, comma-separated (repeatable)

Hook entry (written by \`swrole agent claude\`):
  "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "swrole agent guard --allow dev-ro"}]}]
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values } = parseOptions('agent guard', args, COMMANDS.agent.subcommands.guard.options, false);
  if (values.allow === undefined) throw usageError('agent guard', '--allow LIST is required (the profiles granted to the agent)');
  const allowed = (values.allow ?? [])
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const input = await deps.readStdin(MAX_INPUT_BYTES, INPUT_TIMEOUT_MS);
  if (!input.ok) {
    deps.stderr.write(`swrole: agent guard: ${input.reason}; allowing\n`);
    return 0;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.text);
  } catch {
    deps.stderr.write('swrole: agent guard: the hook input is not JSON; allowing\n');
    return 0;
  }
  deps.stdout.write(renderGuardOutput(decideGuard(parsed, allowed)));
  return 0;
}
