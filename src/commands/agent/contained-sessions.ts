import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../platform/deps.js';
import { run as runProcess } from '../process.js';
import { renderProcessArgs } from '../../agent/view/render-agent-view.js';
import { writeAgentViewFile, type AgentViewMeta, type AgentViewPaths } from '../../agent/view/agent-view-store.js';
import { sessionFileName } from '../../agent/claude/contain.js';
import { isSwroleError } from '../../errors.js';

/**
 * `--contain`: outside the sandbox (a hook, or `agent claude` itself), issue each granted profile exactly as the
 * view's credential_process would (`swrole process P --source-config … --read-only --agent claude`: the cache hit
 * path, a renewal when due) and write its JSON into the view's session file, which the sandboxed Bash tool can only
 * read. A profile that cannot be issued (the MFA session ended) keeps its old file and is named on stderr.
 */
export async function refreshContainedSessions(deps: Deps, meta: AgentViewMeta, paths: AgentViewPaths): Promise<string[]> {
  const failures: string[] = [];
  for (const [index, profile] of meta.profiles.entries()) {
    const args = renderProcessArgs(profile, meta.source, {
      nodePath: deps.nodePath,
      selfPath: deps.selfPath,
      scope: meta.scope,
      durationSeconds: meta.durationSeconds ?? undefined,
    }).slice(1);
    let out = '';
    try {
      await runProcess(args, { ...deps, interactive: false, stdout: { write: (text: string) => void (out += text) } });
    } catch (error) {
      failures.push(
        `${profile}: ${error instanceof Error ? error.message : String(error)}${isSwroleError(error) && error.hint ? ` (${error.hint})` : ''}`,
      );
      continue;
    }
    const name = sessionFileName(index);
    let current: string | undefined;
    try {
      current = readFileSync(join(paths.dir, name), 'utf8');
    } catch {
      // not written yet
    }
    if (current !== out) writeAgentViewFile(paths, name, out, deps);
  }
  return failures;
}
