import type { Deps } from '../../platform/deps.js';
import { formatRemaining } from '../credential-options.js';
import { readCachedSessions, type CachedSessions } from '../../credentials/get-credentials.js';
import { accountOfArn } from '../../domain/arn.js';
import { findProjectView } from '../../agent/view/agent-view-store.js';
import { grantedProfileOf } from '../../agent/view/render-agent-view.js';
import { prepareRequest } from '../../credentials/prepare-request.js';

export const help = `Usage: swrole agent statusline

One line for Claude Code's statusLine: the agent's profile, role, account and time left, read from swrole's
cache (no AWS call, no prompt), and how long the MFA session behind it lasts. Claude Code passes the session as
JSON on stdin (statusline.md); its workspace.project_dir (the launch directory) picks where to look, else
CLAUDE_PROJECT_DIR, else the working directory; swrole walks up from there to the project that has a view
(Claude Code keeps settings.local.json at the git root).
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
  const start = (input.ok ? projectFromInput(input.text) : undefined) ?? (deps.env.CLAUDE_PROJECT_DIR || deps.cwd);
  let found: ReturnType<typeof findProjectView>;
  try {
    found = findProjectView(deps, start);
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
  const profile = grantedProfileOf(deps.env.AWS_PROFILE ?? '', meta.profiles) ?? meta.defaultProfile;
  const tags = `${meta.scope.readOnly ? ' ro' : ''}${meta.scope.policyFile ? ' policy' : ''}${meta.contained ? ' contained' : ''}`;
  try {
    // The request the view's credential_process makes (the user's real files, the view's scope), so the
    // statusline finds the same cache entries as `swrole process`.
    const prepared = prepareRequest(
      deps,
      { profile, sourceConfig: meta.source.configFile, sourceCredentials: meta.source.credentialsFile, scope: meta.scope },
      () => {},
    );
    const cached = readCachedSessions(prepared, { durationSeconds: meta.durationSeconds ?? undefined, allowPrompt: false });
    deps.stdout.write(`aws: ${profile}${tags} · ${renderSessionState(cached, profile, deps.now())}\n`);
  } catch (error) {
    deps.stdout.write(`aws: ${profile} · ${error instanceof Error ? error.message.split('\n')[0] : 'error'}\n`);
  }
  return 0;
}

/**
 * PURE: the role session's time left, and the MFA session's — the real cliff: role sessions renew silently until it
 * ends. "run swrole login" only when the next AWS call would really need a human.
 */
export function renderSessionState(cached: CachedSessions, profile: string, nowMs: number): string {
  const mfa = cached.mfa ? `MFA ${formatRemaining(cached.mfa.credentials.expiration, nowMs)} left` : undefined;
  if (cached.final !== undefined) {
    const arn = String(cached.final.meta.assumedRoleArn ?? cached.final.meta.roleArn ?? '');
    const role = arn.split('/')[1] ?? arn;
    const left = `${formatRemaining(cached.final.credentials.expiration, nowMs)} left`;
    return [`${role}@${accountOfArn(arn) ?? '?'}`, left, mfa].filter(Boolean).join(' · ');
  }
  if (mfa !== undefined) return `renews on next use · ${mfa}`;
  if (cached.needsMfa) return `MFA needed: run \`swrole login ${profile}\` in your terminal`;
  return 'session starts on first use';
}
