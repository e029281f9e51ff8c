import type { Caller } from './identity.js';

/** One call as the emulator saw it; params never include TokenCode, WebIdentityToken or auth material. */
export interface CallRecord {
  time: string;
  action: string;
  callerArn: string | null;
  /** The access key id that signed the call (STS and IAM calls; absent for unsigned ones); never a secret. */
  callerKeyId?: string | null;
  params: Record<string, string>;
  /** 'OK' or the error code. */
  code: string;
  status: number;
  /** A call that issued credentials: who they are and what bounds them (so tests can assert what STS saw). */
  issued?: IssuedSession;
}

export interface IssuedSession {
  arn: string;
  kind: Caller['kind'];
  expiration: string;
  mfa: boolean;
  sourceIdentity?: string;
  tags: Record<string, string>;
  permissions: {
    /** Whose own policies apply: the IAM user (GetSessionToken, GetFederationToken) or the role. */
    principal: string;
    /** Session policies passed to STS (the inline policy parsed, managed ARNs); null: none. */
    sessionPolicy: { policy: unknown; policyArns: string[] } | null;
    /**
     * How they combine: the principal's policies alone, intersected with the session policies, or nothing (a
     * GetFederationToken session without a session policy has no permissions: STS API reference).
     */
    effective: 'principal' | 'principal ∩ session policy' | 'none';
    /** What the credential type can never do, whatever the policies (STS API reference, "Permissions"). */
    limits: string[];
  };
}
