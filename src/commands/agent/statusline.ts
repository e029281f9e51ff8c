import type { Deps } from '../../platform/deps.js';
import { formatRemaining } from '../credential-options.js';
import { readCachedCredentials } from '../../credentials/get-credentials.js';
import { accountOfArn } from '../../domain/arn.js';
import { findProjectView } from '../../agent/view/agent-view-store.js';
import { prepareRequest } from '../../credentials/prepare-request.js';

export const help = `Usage: swrole agent statusline

One line for Claude Code's statusLine: the agent's profile, role, account and time left, read from swrole's
cache (no AWS call, no prompt). Claude Code passes the session as JSON on stdin (statusline.md); its
workspace.project_dir picks the project, else CLAUDE_PROJECT_DIR, else the working directory.
Settings entry (written by \`swrole agent claude --statusline\`):
  "statusLine": {"type": "command", "command": "<node> <swrole> agent statusline"}
`;

/** Claude Code closes stdin at once; run by hand from a terminal, give up quickly rather than hang. */
const INPUT_TIMEOUT_MS = 250;

/** The project directory from the statusLine input (statusline.md: workspace.project_dir, cwd), if any. */
export function projectFromInput(text: string): string | undefined {
  try {
    const input = JSON.parse(text) as { workspace?: { project_dir?: unknown }; cwd?: unknown } | null;
    const dir = input?.workspace?.project_dir ?? input?.cwd;
    return typeof dir === 'string' && dir !== '' ? dir : undefined;
  } catch {
    return undefined;
  }
}

export async function run(_args: string[], deps: Deps): Promise<number> {
  // No usable stdin (closed fd 0, a terminal): fall back to the environment.
  const input = await deps.readStdin(256 * 1024, INPUT_TIMEOUT_MS);
  const project = (input.ok ? projectFromInput(input.text) : undefined) ?? (deps.env.CLAUDE_PROJECT_DIR || deps.cwd);
  let found: ReturnType<typeof findProjectView>;
  try {
    found = findProjectView(deps, project);
  } catch (error) {
    // An unsafe state dir (E_STATE_DIR_UNSAFE): say so on the line rather than fail the status bar.
    deps.stdout.write(`aws: ${error instanceof Error ? error.message.split('\n')[0] : 'error'}\n`);
    return 0;
  }
  if (found === undefined) {
    deps.stdout.write('aws: no swrole agent role\n');
    return 0;
  }
  const { meta } = found;
  const profile = deps.env.AWS_PROFILE && meta.profiles.includes(deps.env.AWS_PROFILE) ? deps.env.AWS_PROFILE : meta.defaultProfile;
  const tags = `${meta.scope.readOnly ? ' ro' : ''}${meta.scope.policyFile ? ' policy' : ''}`;
  try {
    // The request the view's credential_process makes (the user's real files, the view's scope), so the
    // statusline finds the same cache entry as `swrole process`.
    const prepared = prepareRequest(
      deps,
      { profile, sourceConfig: meta.source.configFile, sourceCredentials: meta.source.credentialsFile, scope: meta.scope },
      () => {},
    );
    const hit = readCachedCredentials(prepared, { durationSeconds: meta.durationSeconds ?? undefined, allowPrompt: false });
    if (hit === undefined) {
      deps.stdout.write(`aws: ${profile}${tags} · no session yet (run \`swrole login ${profile}\` if MFA is needed)\n`);
      return 0;
    }
    const arn = String(hit.meta.assumedRoleArn ?? hit.meta.roleArn ?? hit.meta.federatedUserArn ?? '');
    const role = arn.split('/')[1] ?? arn;
    deps.stdout.write(
      `aws: ${profile}${tags} · ${role}@${accountOfArn(arn) ?? '?'} · ${formatRemaining(hit.credentials.expiration, deps.now())} left\n`,
    );
  } catch (error) {
    deps.stdout.write(`aws: ${profile} · ${error instanceof Error ? error.message.split('\n')[0] : 'error'}\n`);
  }
  return 0;
}
