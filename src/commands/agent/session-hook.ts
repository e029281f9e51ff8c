import { appendFileSync, readFileSync } from 'node:fs';
import type { Deps } from '../../platform/deps.js';
import { renderEnv } from '../../output/render-env.js';
import { findProjectView, viewEnv, type AgentViewMeta } from '../../agent/view/agent-view-store.js';
import { viewProfileName } from '../../agent/view/render-agent-view.js';
import { fileWriteError, translateFileErrors } from '../../platform/file-system-error.js';
import { isSwroleError } from '../../errors.js';
import { refreshContainedSessions } from './contained-sessions.js';

export const help = `Usage: swrole agent session-hook

(hidden) Claude Code hook written by \`swrole agent claude\` for SessionStart (and, in env-file mode, FileChanged):
  - SessionStart: tells the model which profiles it has (additionalContext) and, in env-file mode, appends the
    view's export lines to "$CLAUDE_ENV_FILE" (each once) and asks Claude Code to watch the view, so a re-grant
    reaches the running session;
  - FileChanged (the view changed): writes the new export lines;
  - --contain (SessionStart and PreToolUse, outside Claude Code's sandbox): writes each granted profile's scoped
    session into the view, where the sandboxed Bash tool's credential_process reads it.
The project is found from CLAUDE_PROJECT_DIR (the launch directory), walking up to the project with a view.
Fast, never prompts, never fails the session: no view → nothing printed, exit 0. (\`agent env-file-hook\` is
the old name of this hook and still works.)
`;

const INPUT_TIMEOUT_MS = 500;

interface HookInput {
  hook_event_name?: unknown;
  cwd?: unknown;
}

function parseInput(text: string): HookInput {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as HookInput) : {};
  } catch {
    return {};
  }
}

/** PURE: what the model is told at the start of a session (it reads this; it never sees keys). */
export function renderSessionContext(meta: AgentViewMeta): string {
  const names = meta.profiles.map((p) => `${p}${p === meta.defaultProfile ? ' (the default)' : ''}`).join(', ');
  const scope = meta.scope.readOnly ? ' They are read-only sessions.' : meta.scope.policyFile ? ' A session policy limits them.' : '';
  const contained = meta.contained
    ? " This session is contained: Bash runs in Claude Code's sandbox, which cannot read ~/.aws, swrole's files or " +
      'change .claude settings, and reaches only the allowed AWS endpoints; the credentials are only the granted scoped sessions.'
    : '';
  return (
    `AWS access in this project comes from swrole: the AWS CLI and SDKs already use the granted profile ${meta.defaultProfile} ` +
    `(AWS_PROFILE=${viewProfileName(meta.defaultProfile)}); the granted profiles are ${names}; choose one with --profile NAME.${scope} ` +
    'MFA and granting roles belong to the user: if a command says an MFA code is needed, ask the user to run ' +
    '`swrole login PROFILE` in their own terminal. Never ask for, print, export or store AWS keys, and do not change ' +
    'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or AWS_PROFILE.' +
    contained
  );
}

/** Appends the lines `target` lacks: Claude Code inlines the file before every Bash command, so each line goes in once. */
function writeExportsOnce(target: string, lines: readonly string[]): void {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a new file
  }
  const have = new Set(current.split('\n'));
  const missing = lines.filter((l) => !have.has(l));
  if (missing.length > 0)
    appendFileSync(target, `${current === '' || current.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`, { mode: 0o600 });
}

export async function run(_args: string[], deps: Deps): Promise<number> {
  try {
    const input = await deps.readStdin(64 * 1024, INPUT_TIMEOUT_MS);
    const hook = input.ok ? parseInput(input.text) : {};
    const event = typeof hook.hook_event_name === 'string' ? hook.hook_event_name : 'SessionStart';
    const start = deps.env.CLAUDE_PROJECT_DIR || (typeof hook.cwd === 'string' ? hook.cwd : '') || deps.cwd;
    const found = findProjectView(deps, start);
    if (found === undefined) return 0;
    const { meta, paths } = found;
    if (meta.contained && (event === 'SessionStart' || event === 'PreToolUse')) {
      for (const failure of await refreshContainedSessions(deps, meta, paths))
        deps.stderr.write(`swrole: agent session-hook: ${failure}\n`);
    }
    const target = deps.env.CLAUDE_ENV_FILE;
    if (meta.mode === 'env-file') {
      // `export X=''`, never `unset`: Claude Code accepts only plain assignments in this file.
      const lines = renderEnv(Object.entries(viewEnv(paths, viewProfileName(meta.defaultProfile))), [], 'sh')
        .split('\n')
        .filter(Boolean);
      if (target) {
        translateFileErrors(
          () => writeExportsOnce(target, lines),
          (error) => fileWriteError('append the agent view variables to', target, error, 'this session runs without them'),
        );
      } else if (event !== 'SessionStart') deps.stdout.write(`${lines.join('\n')}\n`);
    }
    if (event === 'SessionStart') {
      const output = {
        hookSpecificOutput: {
          hookEventName: 'SessionStart',
          additionalContext: renderSessionContext(meta),
          ...(meta.mode === 'env-file' ? { watchPaths: [paths.metaFile] } : {}),
        },
      };
      deps.stdout.write(`${JSON.stringify(output)}\n`);
    }
  } catch (error) {
    // Never fail the session: say what went wrong (with the path and a hint), exit 0.
    deps.stderr.write(`swrole: agent session-hook: ${error instanceof Error ? error.message : String(error)}\n`);
    if (isSwroleError(error) && error.hint) deps.stderr.write(`  hint: ${error.hint}\n`);
  }
  return 0;
}
