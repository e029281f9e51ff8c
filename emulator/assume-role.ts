// AssumeRole (docs/reference/aws-behaviour.md §6.3, §2.6): validate, authenticate MFA, evaluate the trust policy, cap
// durations (role chaining — including callers holding GetSessionToken credentials, aws-vault #263),
// then issue a role session that remembers source identity, tags, policies and MFA context.
import { principalId, type Caller } from './identity.js';
import {
  assumedRoleArn,
  checkSessionPolicy,
  checkTagKeys,
  findRole,
  packedPolicySize,
  readSessionName,
  readSessionPolicy,
  readSessionTags,
} from './role-request.js';
import { issueSession, renderCredentials, type EmulatorState } from './state.js';
import { MSG, accessDenied, notAuthorized, validation } from './sts-error.js';
import { refusedAction, type ContextValue } from './trust-policy.js';
import { EXTERNAL_ID_PATTERN, NAME_PATTERN, ParamValidator, SERIAL_PATTERN, TOKEN_CODE_PATTERN, type Params } from './validate-params.js';
import { verifyMfa } from './verify-mfa.js';
import type { XmlNode } from './render-xml.js';

export function assumeRole(state: EmulatorState, caller: Caller, params: Params): Record<string, XmlNode | undefined> {
  const v = new ParamValidator(params);
  const roleArnParam = v.string('RoleArn', { required: true, min: 20, max: 2048 });
  const sessionName = readSessionName(v);
  const duration = v.integer('DurationSeconds', 900, 43200);
  const externalId = v.string('ExternalId', { min: 2, max: 1224, pattern: EXTERNAL_ID_PATTERN });
  const serial = v.string('SerialNumber', { min: 9, max: 256, pattern: SERIAL_PATTERN });
  const tokenCode = v.string('TokenCode', { min: 6, max: 6, pattern: TOKEN_CODE_PATTERN });
  const requestedSource = v.string('SourceIdentity', { min: 2, max: 64, pattern: NAME_PATTERN });
  const policy = readSessionPolicy(v);
  const { keys: tagKeys, values: tagValues } = readSessionTags(v);
  const transitive = v.list('TransitiveTagKeys');
  v.throwIfAny();
  if (requestedSource?.toLowerCase().startsWith('aws:')) throw validation('SourceIdentity must not start with aws:');
  const lowerKeys = checkTagKeys(tagKeys);
  for (const key of transitive) {
    if (!lowerKeys.includes(key.toLowerCase()))
      throw validation(`The TransitiveTagKeys must be a subset of the session tag keys; ${key} is not a passed tag.`);
  }
  checkSessionPolicy(policy);

  if (caller.kind === 'root') throw accessDenied(MSG.rootAssume);
  const roleArn = roleArnParam!;
  // A GetFederationToken session may call no STS operation but GetCallerIdentity (STS API reference).
  if (caller.kind === 'federated') throw notAuthorized(caller.arn, 'sts:AssumeRole', roleArn);
  const mfa = verifyMfa(state, caller, serial, tokenCode) ?? caller.mfa;
  const role = findRole(state.world, roleArn);
  if (!role) throw notAuthorized(caller.arn, 'sts:AssumeRole', roleArn);

  // Transitive tags of the calling session propagate and cannot be dropped (IAM "Chaining roles with session tags").
  const carried: Record<string, string> = {};
  for (const key of caller.transitiveTagKeys) if (caller.tags[key] !== undefined) carried[key] = caller.tags[key]!;
  const sessionTags: Record<string, string> = { ...carried };
  tagKeys.forEach((k, i) => {
    sessionTags[k] = tagValues[i] ?? '';
  });
  if (caller.sourceIdentity !== undefined && requestedSource !== undefined && requestedSource !== caller.sourceIdentity) {
    throw accessDenied(
      `SourceIdentity cannot be changed in a role chain: the calling session has SourceIdentity ${caller.sourceIdentity}.`,
    );
  }
  const sourceIdentity = requestedSource ?? caller.sourceIdentity;

  const now = state.now();
  const context: Record<string, ContextValue> = {
    'aws:MultiFactorAuthPresent': mfa ? 'true' : caller.kind === 'user' ? undefined : 'false',
    'aws:MultiFactorAuthAge': mfa ? String(Math.floor((now - mfa.authTimeMs) / 1000)) : undefined,
    'sts:ExternalId': externalId,
    'sts:RoleSessionName': sessionName,
    'sts:SourceIdentity': sourceIdentity,
    'aws:SourceIdentity': caller.sourceIdentity,
    'aws:PrincipalAccount': caller.account,
    'aws:PrincipalArn': caller.principalArn,
    'aws:userid': caller.userId,
    'aws:username': caller.userName,
    'aws:TagKeys': Object.keys(sessionTags).length > 0 ? Object.keys(sessionTags) : undefined,
  };
  for (const [k, val] of Object.entries(caller.tags)) context[`aws:PrincipalTag/${k}`] = val;
  for (const [k, val] of Object.entries(sessionTags)) context[`aws:RequestTag/${k}`] = val;
  const actions = ['sts:AssumeRole'];
  if (Object.keys(sessionTags).length > 0) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  // AWS names the action the trust policy refused: sts:AssumeRole, or sts:TagSession / sts:SetSourceIdentity
  // when only the tags or the source identity are not allowed (docs/reference/aws-behaviour.md §6.5).
  const refused = refusedAction(
    role.role.trustPolicy,
    { action: 'sts:AssumeRole', principalArns: [caller.principalArn, caller.arn], account: caller.account, context },
    actions,
  );
  if (refused !== null) throw notAuthorized(caller.arn, refused, roleArn);

  const seconds = duration ?? 3600;
  const chained = caller.kind !== 'user';
  if (chained && seconds > (state.world.roleChainingLimitSeconds ?? 3600)) throw validation(MSG.chaining);
  if (seconds > (role.role.maxSessionDuration ?? 3600)) throw validation(MSG.maxSession);
  const packed = packedPolicySize(policy, tagKeys.length > 0 ? sessionTags : {});

  const arn = assumedRoleArn(role, sessionName!);
  const newCaller: Caller = {
    kind: 'role',
    account: role.account,
    arn,
    userId: `${principalId('AROA', roleArn)}:${sessionName}`,
    principalArn: roleArn,
    mfa,
    tags: { ...role.role.tags, ...sessionTags },
    transitiveTagKeys: [...new Set([...Object.keys(carried), ...transitive])],
    sessionPolicy: policy,
    // The console's federation endpoint caps sessions of roles assumed with temporary credentials (federation.ts).
    ...(chained ? { assumedWithTemporaryCredentials: true } : {}),
  };
  if (sourceIdentity !== undefined) newCaller.sourceIdentity = sourceIdentity;
  const session = issueSession(state, newCaller, seconds);
  return {
    SourceIdentity: sourceIdentity,
    AssumedRoleUser: { AssumedRoleId: newCaller.userId, Arn: arn },
    Credentials: renderCredentials(session),
    PackedPolicySize: packed,
  };
}
