// The caller's own permissions, where STS checks them (GetFederationToken) and IAM (every call): explicit Deny wins,
// then any Allow, else implicit deny. Action and Resource with `*`/`?` wildcards; conditions with the trust
// policy's operators (`…IfExists` included) over the request context identityContext() gives: the MFA keys, which
// is what the common "no IAM without MFA" guard tests (a Deny with `BoolIfExists aws:MultiFactorAuthPresent false`).
import type { Caller } from './identity.js';
import { conditionsHold, type ContextValue } from './trust-policy.js';
import type { IdentityPolicy } from './world.js';

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

/**
 * The request context keys a caller brings (IAM User Guide, "AWS global condition context keys"):
 * `aws:MultiFactorAuthPresent` is absent for long-term keys, "true" for a session made with MFA and "false" for
 * other temporary credentials; `aws:MultiFactorAuthAge` (seconds) only with MFA.
 */
export function identityContext(caller: Caller, nowMs: number): Record<string, ContextValue> {
  if (caller.kind === 'user' || caller.kind === 'root') return {};
  if (caller.mfa === null) return { 'aws:MultiFactorAuthPresent': 'false' };
  return {
    'aws:MultiFactorAuthPresent': 'true',
    'aws:MultiFactorAuthAge': String(Math.max(0, Math.floor((nowMs - caller.mfa.authTimeMs) / 1000))),
  };
}

export type IdentityDecision = 'allow' | 'explicitDeny' | 'implicitDeny';

/** What `policy` says of `action` on `resource` in `context`; a user without a policy in the world may do anything. */
export function decideByIdentity(
  policy: IdentityPolicy | undefined,
  action: string,
  resource: string,
  context: Record<string, ContextValue> = {},
): IdentityDecision {
  if (policy === undefined) return 'allow';
  const matching = asArray(policy.Statement).filter(
    (s) =>
      asArray(s.Action).some((a) => wildcard(a, action, true)) &&
      (s.Resource === undefined ? true : asArray(s.Resource).some((r) => wildcard(r, resource, false))) &&
      conditionsHold(s, context),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicitDeny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicitDeny';
}

/** True when `policy` allows `action` on `resource` (in `context`). */
export function isAllowedByIdentity(
  policy: IdentityPolicy | undefined,
  action: string,
  resource: string,
  context: Record<string, ContextValue> = {},
): boolean {
  return decideByIdentity(policy, action, resource, context) === 'allow';
}

/**
 * The guard AWS documents for "no IAM without MFA" (IAM User Guide, "Allows MFA-authenticated IAM users to
 * manage their own credentials"), added to a user's policy by the world's `iamRequiresMfa`.
 */
export const DENY_IAM_WITHOUT_MFA = {
  Sid: 'DenyIamWithoutMfa',
  Effect: 'Deny',
  Action: 'iam:*',
  Resource: '*',
  Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
} as const;

/** The user's policy with DENY_IAM_WITHOUT_MFA (no policy: everything else allowed). */
export function withMfaGuard(policy: IdentityPolicy | undefined): IdentityPolicy {
  const statements = policy === undefined ? [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] : asArray(policy.Statement);
  return { Version: '2012-10-17', Statement: [...statements, { ...DENY_IAM_WITHOUT_MFA }] };
}
