import type { Deps } from '../platform/deps.js';
import { resolveStateDir } from '../cache/resolve-state-dir.js';
import { formatRemaining } from './credential-options.js';
import { readCachedCredentials } from '../credentials/get-credentials.js';
import { accountOfArn } from '../sts/gateway.js';
import { projectViewPaths, readAgentViewMeta } from '../agent/agent-view-store.js';
import { prepareViewRequest } from '../agent/prepare-view-request.js';

export const help = `Usage: swrole agent statusline

One line for Claude Code's statusLine: the agent's profile, role, account and time left, read from swrole's
cache (no AWS call, no prompt). Settings entry (printed by \`swrole agent claude --statusline\`):
  "statusLine": {"type": "command", "command": "<node> <swrole> agent statusline"}
`;

export async function run(_args: string[], deps: Deps): Promise<number> {
  const project = deps.env.CLAUDE_PROJECT_DIR || deps.cwd;
  const meta = readAgentViewMeta(projectViewPaths(resolveStateDir(deps.env, deps.homedir, deps.platform), project));
  if (meta === undefined) {
    deps.stdout.write('aws: no swrole agent role\n');
    return 0;
  }
  const profile = deps.env.AWS_PROFILE && meta.profiles.includes(deps.env.AWS_PROFILE) ? deps.env.AWS_PROFILE : meta.defaultProfile;
  const tags = `${meta.scope.readOnly ? ' ro' : ''}${meta.scope.policyFile ? ' policy' : ''}`;
  try {
    const prepared = prepareViewRequest(deps, meta, profile, () => {});
    const hit = readCachedCredentials(prepared, { durationSeconds: meta.durationSeconds ?? undefined, allowPrompt: false });
    if (hit === undefined) {
      deps.stdout.write(`aws: ${profile}${tags} · no session yet (run \`swrole login ${profile}\` if MFA is needed)\n`);
      return 0;
    }
    const arn = String(hit.meta.assumedRoleArn ?? hit.meta.roleArn ?? '');
    const role = arn.split('/')[1] ?? arn;
    deps.stdout.write(`aws: ${profile}${tags} · ${role}@${accountOfArn(arn) ?? '?'} · ${formatRemaining(hit.credentials.expiration, deps.now())} left\n`);
  } catch (error) {
    deps.stdout.write(`aws: ${profile} · ${error instanceof Error ? error.message.split('\n')[0] : 'error'}\n`);
  }
  return 0;
}
