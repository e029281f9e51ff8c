import { isAbsolute, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { isScoped, type AgentScope } from '../credentials/agent-scope.js';
import { readSessionPolicy } from '../credentials/session-policy.js';

/** The help lines of SCOPE_OPTIONS (src/registry/option-specs.ts). */
export const SCOPE_OPTIONS_HELP = `Agent session options:
  --read-only           add the AWS managed ReadOnlyAccess policy as a session policy
  --policy FILE         add an inline session policy (JSON, at most 2048 characters without whitespace)
  --agent NAME          mark the session as an agent's: SourceIdentity, session tag swrole:agent=NAME,
                        role session name swrole-<user>-NAME (best effort: dropped with a warning where the
                        role's trust policy refuses sts:TagSession / sts:SetSourceIdentity, unless
                        swrole_agent_tags / swrole_source_identity = required)
A scope is applied or the command fails. A profile of long-term keys never hands them out: a session policy
makes it a GetFederationToken session (no IAM calls, no STS calls but GetCallerIdentity, no MFA).
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

/** `--no-session` hands out long-term keys: never to an agent or a scoped request (issue 9 §1). */
export function checkNoSession(command: string, noSession: boolean, scope: AgentScope): void {
  if (noSession && isScoped(scope))
    throw usageError(
      command,
      '--no-session cannot be combined with --read-only, --policy or --agent: a scoped request never receives long-term keys',
    );
}
