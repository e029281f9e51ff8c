// One STS Query-protocol call: parse, authenticate, dispatch, render (docs/reference/aws-behaviour.md §6.2, §7).
import { assumeRole } from './assume-role.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';
import { getFederationToken } from './get-federation-token.js';
import { getSessionToken } from './get-session-token.js';
import { describeIssued } from './describe-issued.js';
import type { IssuedSession } from './call-record.js';
import { parseForm } from './parse-form.js';
import { renderError, renderSuccess, type XmlNode } from './render-xml.js';
import { createKeyLookup, type EmulatorState } from './state.js';
import { StsError } from './sts-error.js';
import { verifySignature, type SignedRequest } from './verify-signature.js';
import type { Caller } from './identity.js';

export interface StsOutcome {
  status: number;
  body: string;
  action: string;
  callerArn: string | null;
  /** The access key id that signed the call (not a secret; which of a user's keys it was). */
  callerKeyId?: string | null;
  params: Record<string, string>;
  code: string;
  issued?: IssuedSession;
}

/** Parameters that are secret or auth material never reach the call log. */
const HIDDEN = new Set(['Action', 'Version', 'TokenCode', 'WebIdentityToken']);
export function loggableParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !HIDDEN.has(k) && !k.startsWith('X-Amz-')));
}

/** Action name as early as it can be known (faults match on it before authentication). */
export function readParams(req: SignedRequest): Record<string, string> | null {
  const query = parseForm(req.rawQuery);
  const body = req.method === 'POST' ? parseForm(req.body.toString('utf8')) : {};
  if (query === null || body === null) return null;
  return { ...query, ...body };
}

function dispatch(
  state: EmulatorState,
  action: string,
  caller: Caller,
  params: Record<string, string>,
): Record<string, XmlNode | undefined> {
  switch (action) {
    case 'GetCallerIdentity':
      return { Arn: caller.arn, UserId: caller.userId, Account: caller.account };
    case 'GetSessionToken':
      return getSessionToken(state, caller, params);
    case 'GetFederationToken':
      return getFederationToken(state, caller, params);
    case 'AssumeRole':
      return assumeRole(state, caller, params);
    default:
      throw new StsError('InvalidAction', 400, `Could not find operation ${action} for version 2011-06-15`);
  }
}

/** `params` is readParams(req), parsed once by the caller; `requestId` is the one it sends in x-amzn-requestid. */
export function handleSts(state: EmulatorState, req: SignedRequest, params: Record<string, string> | null, requestId: string): StsOutcome {
  const action = params?.Action ?? '';
  let callerArn: string | null = null;
  let callerKeyId: string | null = null;
  try {
    if (params === null) throw new StsError('MalformedQueryString', 400, 'The query string is malformed.');
    if (action === '') throw new StsError('MissingAction', 400, 'Missing Action');
    if (params.Version === undefined) throw new StsError('MissingParameter', 400, 'The request must contain the parameter Version');
    if (params.Version !== '2011-06-15')
      throw new StsError('InvalidAction', 400, `Could not find operation ${action} for version ${params.Version}`);
    let result: Record<string, XmlNode | undefined>;
    if (action === 'AssumeRoleWithWebIdentity') {
      // Unsigned by model (smithy.api#noAuth); a signature, if any, is ignored.
      result = assumeRoleWithWebIdentity(state, params);
    } else {
      const { caller, accessKeyId } = verifySignature(req, new URLSearchParams(req.rawQuery), state.now(), createKeyLookup(state));
      callerArn = caller.arn;
      callerKeyId = accessKeyId;
      result = dispatch(state, action, caller, params);
    }
    const issued = describeIssued(state, result);
    return {
      status: 200,
      body: renderSuccess(action, result, requestId),
      action,
      callerArn,
      callerKeyId,
      params: loggableParams(params ?? {}),
      code: 'OK',
      ...(issued ? { issued } : {}),
    };
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    return {
      status: error.status,
      body: renderError(error, requestId),
      action: action || '(none)',
      callerArn,
      callerKeyId,
      params: loggableParams(params ?? {}),
      code: error.code,
    };
  }
}
