import { isAbsolute, resolve } from 'node:path';
import type { Deps } from '../platform/deps.js';
import type { PreparedRequest } from '../credentials/prepare-request.js';
import type { CredentialResult } from '../credentials/get-credentials.js';
import { appendAuditRecord, completeAuditRecord, type AuditTemplate } from '../audit/audit-log.js';
import type { AgentScope } from './agent-scope.js';
import { readSessionPolicy } from './session-policy.js';

/** The scope flags shared by process/env/exec and the agent commands (parseArgs option specs). */
export const SCOPE_OPTIONS = {
  'read-only': { type: 'boolean' },
  policy: { type: 'string' },
  agent: { type: 'string' },
} as const;

export const SCOPE_OPTIONS_HELP = `Agent session options:
  --read-only           add the AWS managed ReadOnlyAccess policy as a session policy
  --policy FILE         add an inline session policy (JSON, at most 2048 characters without whitespace)
  --agent NAME          mark the session as an agent's: SourceIdentity, session tag swrole:agent=NAME,
                        role session name swrole-<user>-NAME (the role's trust policy must allow
                        sts:TagSession and sts:SetSourceIdentity)
`;

interface ScopeValues {
  'read-only'?: boolean | string | undefined;
  policy?: boolean | string | undefined;
  agent?: boolean | string | undefined;
}

/** Flags → scope; the policy file is made absolute and validated now, so a bad file fails before any STS call. */
export function readScopeFlags(values: ScopeValues, cwd: string): AgentScope {
  const policy = typeof values.policy === 'string' ? (isAbsolute(values.policy) ? values.policy : resolve(cwd, values.policy)) : undefined;
  if (policy !== undefined) readSessionPolicy(policy);
  const agent = typeof values.agent === 'string' && values.agent !== '' ? values.agent : undefined;
  return {
    readOnly: values['read-only'] === true,
    ...(policy !== undefined ? { policyFile: policy } : {}),
    ...(agent !== undefined ? { agent } : {}),
  };
}

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

/** One audit line for an issuance (never a secret). */
export function auditIssuance(
  deps: Deps,
  prepared: PreparedRequest,
  command: string,
  scope: AgentScope,
  result: Pick<CredentialResult, 'hit' | 'session'>,
): boolean {
  return appendAuditRecord(prepared.stateDir, completeAuditRecord(auditTemplate(prepared, command, scope, result), deps, result.hit));
}
