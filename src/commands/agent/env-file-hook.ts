import { appendFileSync, readFileSync } from 'node:fs';
import type { Deps } from '../../platform/deps.js';
import { renderEnv } from '../../output/render-env.js';
import { findProjectView, viewEnv } from '../../agent/view/agent-view-store.js';
import { fileWriteError, translateFileErrors } from '../../platform/file-system-error.js';
import { isSwroleError } from '../../errors.js';

export const help = `Usage: swrole agent env-file-hook

(hidden) Claude Code SessionStart hook written by \`swrole agent claude --mode env-file\`: appends the export
lines of the project's agent view to "$CLAUDE_ENV_FILE" (each once), so every Bash command of the session
gets AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE. Without CLAUDE_ENV_FILE it prints them.
Fast, never prompts, never fails the session: no view → nothing printed, exit 0.
`;

/**
 * The project is CLAUDE_PROJECT_DIR (set by Claude Code for hooks), else the working directory. stdin (the hook
 * JSON) is not read: it is not needed and waiting for it would cost time on every session start.
 * Plain stdout of a SessionStart hook goes into the model's context, so with CLAUDE_ENV_FILE nothing is printed.
 */
export async function run(_args: string[], deps: Deps): Promise<number> {
  try {
    const project = deps.env.CLAUDE_PROJECT_DIR || deps.cwd;
    const view = findProjectView(deps, project);
    if (view === undefined) return 0;
    const lines = renderEnv(Object.entries(viewEnv(view.paths, view.meta.defaultProfile)), [], 'sh')
      .split('\n')
      .filter(Boolean);
    const target = deps.env.CLAUDE_ENV_FILE;
    if (!target) {
      deps.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // a new file
    }
    // The file is inlined before every Bash command: write each line once, never keep appending (agents.md §1.6).
    const have = new Set(current.split('\n'));
    const missing = lines.filter((l) => !have.has(l));
    if (missing.length > 0)
      translateFileErrors(
        () => appendFileSync(target, `${current === '' || current.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`, { mode: 0o600 }),
        (error) => fileWriteError('append the agent view variables to', target, error, 'this session runs without them'),
      );
  } catch (error) {
    // Never fail the session: say what went wrong (with the path and a hint), exit 0.
    deps.stderr.write(`swrole: agent env-file-hook: ${error instanceof Error ? error.message : String(error)}\n`);
    if (isSwroleError(error) && error.hint) deps.stderr.write(`  hint: ${error.hint}\n`);
  }
  return 0;
}
