import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { join } from 'node:path';
import { usageError } from '../../errors.js';
import { decideGuard, renderGuardOutput } from '../../agent/guard/guard.js';
import { resolveSwroleDirs } from '../../platform/resolve-state-dir.js';
import { COMMANDS } from '../../registry/command-registry.js';

const MAX_INPUT_BYTES = 1024 * 1024;
const INPUT_TIMEOUT_MS = 1000;

export const help = `Usage: swrole agent guard --allow PROFILE[,PROFILE...]

Claude Code PreToolUse hook: reads the hook input (JSON) on stdin and denies Bash commands that
  - name a profile that is not granted (aws --profile X, AWS_PROFILE=X, export AWS_PROFILE=X, swrole exec X
    and every other swrole command or option that takes a profile, or what swrole exec runs),
  - change, export, unset or \`env -u\` the variables that carry the view (AWS_CONFIG_FILE,
    AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, AWS_DEFAULT_PROFILE), or run under \`env -i\`,
  - pass or store AWS keys (AWS_ACCESS_KEY_ID=..., --access-key, aws configure set aws_secret_access_key),
  - touch ~/.aws or swrole's state directory (keys, config, cached MFA sessions),
  - run the user's swrole commands (agent, login, setup, logout), or swrole by a path, node or npx.
A deny is printed as {"hookSpecificOutput":{"permissionDecision":"deny",...}}; anything else prints nothing
and exits 0, so Claude Code's own permission rules still apply. Malformed or missing input is allowed with a
note on stderr: a broken guard must not block every command of the agent.

This is a guardrail against mistakes, not a boundary: it matches command text and cannot see through
variables, scripts or programs the agent writes. An agent on your OS user that wants more can get it; the
boundary is \`swrole agent claude --contain\` (see docs/agents.md).

Options:
  --allow LIST   granted profiles, comma-separated (repeatable)

Hook entry (written by \`swrole agent claude\`):
  "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "swrole agent guard --allow dev-ro"}]}]
`;

/** Places the agent must not read: swrole's cache and state dirs (wherever SWROLE_HOME or XDG put them) and ~/.aws. */
function privatePaths(deps: Deps): string[] {
  const { cacheDir, stateDir } = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  return [...new Set([cacheDir, stateDir]), join(deps.homedir, '.aws')];
}

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
  deps.stdout.write(renderGuardOutput(decideGuard(parsed, allowed, privatePaths(deps))));
  return 0;
}
