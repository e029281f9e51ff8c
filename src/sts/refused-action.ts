/**
 * Which attribution action an STS AccessDenied refused. AWS names the action the trust policy (AssumeRole) or the
 * user's own policy (GetFederationToken) did not allow: "User: <arn> is not authorized to perform: sts:TagSession
 * on resource: <arn>" (docs/reference/aws-behaviour.md §6.5). Anything else → undefined.
 */
export type AttributionAction = 'sts:TagSession' | 'sts:SetSourceIdentity';

const REFUSED = /is not authorized to perform: (sts:TagSession|sts:SetSourceIdentity) on resource/;

export function refusedAttributionAction(error: unknown): AttributionAction | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; message?: unknown };
  const code = typeof e.Code === 'string' ? e.Code : e.name;
  if (code !== 'AccessDenied' && code !== 'AccessDeniedException') return undefined;
  const match = typeof e.message === 'string' ? REFUSED.exec(e.message) : null;
  return (match?.[1] as AttributionAction | undefined) ?? undefined;
}
