// GetFederationToken (STS API reference; docs/reference/sso-keyring-console.md C.1): long-term IAM user (or root)
// keys only; Name 2–32 of [\w+=,.@-]; 900–129600 s, default 43200, root silently capped at 3600; session policies
// (no policy → a session with no permissions) and tags, packed like AssumeRole's; the caller's own policies must
// allow sts:GetFederationToken (and sts:TagSession for tags) on the federated-user ARN. The session is
// arn:aws:sts::ACCT:federated-user/NAME, carries no MFA context and may call no STS operation but
// GetCallerIdentity (enforced in assume-role.ts, get-session-token.ts and here).
import type { Caller } from './identity.js';
import { isAllowedByIdentity } from './identity-policy.js';
import { checkSessionPolicy, checkTagKeys, packedPolicySize, readSessionPolicy, readSessionTags } from './role-request.js';
import { issueSession, renderCredentials, type EmulatorState } from './state.js';
import { MSG, accessDenied, notAuthorized } from './sts-error.js';
import { NAME_PATTERN, ParamValidator, type Params } from './validate-params.js';
import type { XmlNode } from './render-xml.js';

export const federatedUserArn = (account: string, name: string) => `arn:aws:sts::${account}:federated-user/${name}`;

export function getFederationToken(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const nameParam = v.string('Name', { required: true, min: 2, max: 32, pattern: NAME_PATTERN });
  const duration = v.integer('DurationSeconds', 900, 129600);
  const policy = readSessionPolicy(v);
  const { keys: tagKeys, values: tagValues } = readSessionTags(v);
  v.throwIfAny();
  checkTagKeys(tagKeys);
  checkSessionPolicy(policy);
  if (caller.kind !== 'user' && caller.kind !== 'root') throw accessDenied(MSG.federationTokenWithSession);

  const name = nameParam!;
  const arn = federatedUserArn(caller.account, name);
  // The caller's own permissions (identity policy), as IAM evaluates them for this call.
  if (!isAllowedByIdentity(caller.identityPolicy, 'sts:GetFederationToken', arn))
    throw notAuthorized(caller.arn, 'sts:GetFederationToken', arn);
  if (tagKeys.length > 0 && !isAllowedByIdentity(caller.identityPolicy, 'sts:TagSession', arn))
    throw notAuthorized(caller.arn, 'sts:TagSession', arn);

  const tags: Record<string, string> = {};
  tagKeys.forEach((k, i) => {
    tags[k] = tagValues[i] ?? '';
  });
  const packed = packedPolicySize(policy, tags);
  let seconds = duration ?? 43200;
  if (caller.kind === 'root') seconds = Math.min(seconds, 3600);
  const federated: Caller = {
    kind: 'federated',
    account: caller.account,
    arn,
    userId: `${caller.account}:${name}`,
    principalArn: arn,
    parentArn: caller.arn,
    ...(caller.userName !== undefined ? { userName: caller.userName } : {}),
    mfa: null,
    tags,
    transitiveTagKeys: [],
    ...(caller.identityPolicy !== undefined ? { identityPolicy: caller.identityPolicy } : {}),
    sessionPolicy: policy,
  };
  const session = issueSession(state, federated, seconds);
  return {
    Credentials: renderCredentials(session),
    FederatedUser: { FederatedUserId: federated.userId, Arn: arn },
    PackedPolicySize: packed,
  };
}
