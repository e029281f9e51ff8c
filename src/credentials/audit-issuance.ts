import type { Deps } from '../platform/deps.js';
import type { PreparedRequest } from './prepare-request.js';
import type { CredentialResult } from './get-credentials.js';
import { appendAuditRecord, completeAuditRecord, type AuditTemplate } from '../audit/audit-log.js';
import { isSwroleError } from '../errors.js';
import { openStateDir } from '../platform/open-state-dir.js';
import type { AgentScope } from './agent-scope.js';

/** What the audit log records for an issuance, less time, pid and hit/sts (the hit memo replays it). */
export function auditTemplate(
  prepared: PreparedRequest,
  command: string,
  scope: AgentScope,
  result: Pick<CredentialResult, 'session'>,
): AuditTemplate {
  const last = prepared.plan.steps.length > 1 ? prepared.plan.steps[prepared.plan.steps.length - 1] : undefined;
  const roleArn =
    typeof result.session?.meta.roleArn === 'string' ? result.session.meta.roleArn : last?.kind === 'assumeRole' ? last.roleArn : null;
  return {
    command,
    profile: prepared.plan.profile,
    roleArn,
    agent: scope.agent ?? null,
    ...(scope.readOnly ? { readOnly: true } : {}),
    ...(scope.policyFile !== undefined ? { policyFile: scope.policyFile } : {}),
  };
}

/**
 * One audit line for an issuance (never a secret), in the state dir (created, verified, legacy logs adopted).
 * A state dir that cannot be written only costs the line (false); one that must not be used is refused.
 */
export function auditIssuance(
  deps: Deps,
  prepared: PreparedRequest,
  command: string,
  scope: AgentScope,
  result: Pick<CredentialResult, 'hit' | 'session'>,
  warn?: (message: string) => void,
): boolean {
  let stateDir: string;
  try {
    stateDir = openStateDir(deps, warn).stateDir;
  } catch (error) {
    if (isSwroleError(error)) throw error;
    return false;
  }
  return appendAuditRecord(stateDir, completeAuditRecord(auditTemplate(prepared, command, scope, result), deps, result.hit));
}
