// The call log's view of a session a call just issued: its identity and what bounds its permissions, so a test
// can assert what STS saw and what the credentials handed out can do (emulator/call-record.ts).
import type { IssuedSession } from './call-record.js';
import type { Session } from './identity.js';
import type { XmlNode } from './render-xml.js';
import type { EmulatorState } from './state.js';

function parsePolicy(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function limitsOf(session: Session): string[] {
  switch (session.caller.kind) {
    case 'federated':
      return ['no IAM API calls', 'no STS API calls except GetCallerIdentity', 'no MFA context'];
    case 'session-token':
      return session.caller.mfa
        ? ['no STS API calls except AssumeRole and GetCallerIdentity']
        : ['no IAM API calls (no MFA in the session)', 'no STS API calls except AssumeRole and GetCallerIdentity'];
    default:
      return [];
  }
}

/** The session behind `result.Credentials.AccessKeyId`, described; undefined when the call issued none. */
export function describeIssued(state: EmulatorState, result: Record<string, XmlNode | undefined>): IssuedSession | undefined {
  const credentials = result.Credentials;
  const id = typeof credentials === 'object' && !Array.isArray(credentials) ? credentials.AccessKeyId : undefined;
  const session = typeof id === 'string' ? state.sessions.get(id) : undefined;
  if (!session) return undefined;
  const c = session.caller;
  const sp = c.sessionPolicy;
  const hasPolicy = sp !== undefined && (sp.policy !== undefined || sp.policyArns.length > 0);
  const effective = hasPolicy ? 'principal ∩ session policy' : c.kind === 'federated' ? 'none' : 'principal';
  return {
    arn: c.arn,
    kind: c.kind,
    expiration: new Date(session.expiresMs).toISOString(),
    mfa: c.mfa !== null,
    ...(c.sourceIdentity !== undefined ? { sourceIdentity: c.sourceIdentity } : {}),
    tags: { ...c.tags },
    permissions: {
      principal: c.kind === 'federated' ? (c.parentArn ?? c.arn) : c.principalArn,
      sessionPolicy: hasPolicy ? { policy: sp.policy === undefined ? null : parsePolicy(sp.policy), policyArns: [...sp.policyArns] } : null,
      effective,
      limits: limitsOf(session),
    },
  };
}
