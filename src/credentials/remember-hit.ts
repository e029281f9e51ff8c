import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import { stringValue } from '../config/types.js';
import type { AgentScope } from './agent-scope.js';
import { auditTemplate } from './audit-issuance.js';
import { MEMO_DIR, memoKey, stampFile, writeMemo, type HitMemo } from '../cache/hit-memo.js';
import type { CredentialRequest } from './engine-options.js';
import type { CredentialResult } from './get-credentials.js';
import type { PreparedRequest } from './prepare-request.js';

const SETTLE_MS = 2000;

/**
 * After the full path answered `swrole <command> <args>`, records how, so the next identical invocation is
 * answered from the entry point without parsing the config (src/cli/fast-path.ts). Only cached sessions are
 * memoised (role sessions, and the session a profile of long-term keys hands out); credentials handed out as
 * they are (`--no-session`, a temporary source) have no session to point at; `--no-cache` never is.
 */
export function rememberHit(
  deps: Deps,
  command: string,
  memoArgs: readonly string[],
  prepared: PreparedRequest,
  request: CredentialRequest,
  scope: AgentScope,
  result: CredentialResult,
): void {
  const { sessionKey } = result;
  if (request.noCache || sessionKey === undefined || result.session === undefined) return;
  const files = [prepared.config.configFile, prepared.config.credentialsFile];
  // The scope's --policy file is the last hop's policyFile (applyAgentScope), or the source session's.
  for (const step of prepared.plan.steps) if (step.kind === 'assumeRole' && step.policyFile) files.push(step.policyFile);
  const sourcePolicy =
    prepared.plan.steps.length === 1
      ? (scope.policyFile ?? stringValue(prepared.config.profiles.get(prepared.plan.profile)?.values ?? {}, 'swrole_session_policy_file'))
      : undefined;
  if (sourcePolicy !== undefined) files.push(sourcePolicy);
  const stamps = files.map(stampFile);
  // A file changed in the last moments may have changed after we read it (or within the filesystem's mtime
  // granularity): memoising now could pin the old answer to the new stamp. Let it settle; the next call memoises.
  if (stamps.some((s) => s.size >= 0 && deps.now() - s.mtimeMs < SETTLE_MS)) return;
  const memo: HitMemo = {
    version: 1,
    sessionKey,
    files: stamps,
    profile: prepared.plan.profile,
    region: prepared.plan.region,
    audit: auditTemplate(prepared, command, scope, result),
  };
  writeMemo(join(prepared.stateDir, MEMO_DIR), memoKey(command, memoArgs, deps.env, deps.cwd), memo, deps.platform);
}
