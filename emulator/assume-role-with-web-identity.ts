// AssumeRoleWithWebIdentity (docs/reference/aws-behaviour.md §6.4): unsigned; the token must be registered in the world.
// Trust: Principal.Federated equal to the token's provider, Action sts:AssumeRoleWithWebIdentity,
// conditions on `<provider>:sub` / `<provider>:aud` (IAM "Available keys for OIDC federation").
import { principalId, type Caller } from './identity.js';
import { assumedRoleArn, checkSessionPolicy, findRole, packedPolicySize, readSessionName, readSessionPolicy } from './role-request.js';
import { issueSession, renderCredentials, type EmulatorState } from './state.js';
import { MSG, StsError, accessDenied, validation } from './sts-error.js';
import { isTrusted } from './trust-policy.js';
import { ParamValidator, type Params } from './validate-params.js';
import type { XmlNode } from './render-xml.js';

export function assumeRoleWithWebIdentity(state: EmulatorState, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const roleArn = v.string('RoleArn', { required: true, min: 20, max: 2048 })!;
  const sessionName = readSessionName(v)!;
  const token = v.string('WebIdentityToken', { required: true, min: 4, max: 20000 })!;
  v.string('ProviderId', { min: 4, max: 2048 });
  const duration = v.integer('DurationSeconds', 900, 43200);
  const policy = readSessionPolicy(v);
  v.throwIfAny();
  checkSessionPolicy(policy);

  const claims = state.world.webIdentityTokens?.[token];
  if (!claims)
    throw new StsError(
      'InvalidIdentityToken',
      400,
      'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
    );
  const now = state.now();
  if (claims.expiresAt !== undefined && Date.parse(claims.expiresAt) <= now) {
    throw new StsError(
      'ExpiredTokenException',
      400,
      `Token expired: current date/time ${new Date(now).toISOString()} must be before the expiration date/time ${claims.expiresAt}`,
    );
  }
  const role = findRole(state.world, roleArn);
  const host = claims.provider.replace(/^https:\/\//, '');
  const federated = role ? `arn:aws:iam::${role.account}:oidc-provider/${host}` : '';
  const context = { [`${host}:sub`]: claims.subject, [`${host}:aud`]: claims.audience, 'sts:RoleSessionName': sessionName };
  const trusted =
    role !== null &&
    (isTrusted(role.role.trustPolicy, { action: 'sts:AssumeRoleWithWebIdentity', principalArns: [], account: null, federated, context }) ||
      isTrusted(role.role.trustPolicy, {
        action: 'sts:AssumeRoleWithWebIdentity',
        principalArns: [],
        account: null,
        federated: host,
        context,
      }));
  if (!role || !trusted) throw accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const seconds = duration ?? 3600;
  if (seconds > (role.role.maxSessionDuration ?? 3600)) throw validation(MSG.maxSession);
  const packed = packedPolicySize(policy, {});
  const arn = assumedRoleArn(role, sessionName);
  const caller: Caller = {
    kind: 'web-identity',
    account: role.account,
    arn,
    userId: `${principalId('AROA', roleArn)}:${sessionName}`,
    principalArn: roleArn,
    mfa: null,
    tags: { ...role.role.tags },
    transitiveTagKeys: [],
  };
  const session = issueSession(state, caller, seconds);
  return {
    Credentials: renderCredentials(session),
    SubjectFromWebIdentityToken: claims.subject,
    AssumedRoleUser: { AssumedRoleId: caller.userId, Arn: arn },
    PackedPolicySize: packed,
    Provider: claims.provider,
    Audience: claims.audience,
  };
}
