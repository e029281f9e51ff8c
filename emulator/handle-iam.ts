// One IAM Query-protocol call (Version 2010-05-08, SigV4 service `iam`): authenticate, authorize, dispatch,
// render with the IAM namespace. Who may call IAM (docs/reference/sso-keyring-console.md B.4, D.1 §3):
// long-term user keys and role sessions; a GetSessionToken session only when it carries MFA, and never a
// GetFederationToken session (both refused as InvalidClientTokenId, as AWS answers them: aws-vault#132, #536).
import { createAccessKey, deleteAccessKey, getUser, listAccessKeys, updateAccessKey } from './iam-access-keys.js';
import { decideByIdentity, identityContext, withMfaGuard } from './identity-policy.js';
import { userArn, type Caller } from './identity.js';
import { IAM_NAMESPACE, renderError, renderSuccess, type XmlNode } from './render-xml.js';
import { createKeyLookup, type EmulatorState } from './state.js';
import { StsError, accessDenied, invalidClientTokenId } from './sts-error.js';
import { verifySignature, type SignedRequest } from './verify-signature.js';
import { loggableParams, type StsOutcome } from './handle-sts.js';
import type { Params } from './validate-params.js';

export const IAM_VERSION = '2010-05-08';

type Handler = (state: EmulatorState, caller: Caller, params: Params) => Record<string, XmlNode | undefined>;

const ACTIONS: Record<string, Handler> = {
  GetUser: getUser,
  ListAccessKeys: listAccessKeys,
  CreateAccessKey: createAccessKey,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
};

/** IAM's answer to a caller whose own policies refuse the action (the resource as IAM names it: `user NAME`). */
function refused(caller: Caller, action: string, userName: string, why: string): StsError {
  return accessDenied(`User: ${caller.arn} is not authorized to perform: iam:${action} on resource: user ${userName} ${why}`);
}

function authorize(state: EmulatorState, caller: Caller, action: string, params: Params): void {
  if (caller.kind === 'federated' || (caller.kind === 'session-token' && caller.mfa === null)) throw invalidClientTokenId();
  const own = caller.userName === undefined ? undefined : state.world.accounts[caller.account]?.users?.[caller.userName];
  const target = params.UserName ?? caller.userName ?? '';
  const policy = own?.iamRequiresMfa ? withMfaGuard(caller.identityPolicy) : caller.identityPolicy;
  const resource = userArn(caller.account, state.world.accounts[caller.account]?.users?.[target]?.path, target);
  const decision = decideByIdentity(policy, `iam:${action}`, resource, identityContext(caller, state.now()));
  if (decision === 'explicitDeny') throw refused(caller, action, target, 'with an explicit deny in an identity-based policy');
  if (decision === 'implicitDeny') {
    throw refused(caller, action, target, 'because no identity-based policy allows the iam:' + action + ' action');
  }
}

/** `params` is the parsed Query (its Version is 2010-05-08); `requestId` the one sent in x-amzn-requestid. */
export function handleIam(state: EmulatorState, req: SignedRequest, params: Params, requestId: string): StsOutcome {
  const action = params.Action ?? '';
  let callerArn: string | null = null;
  let callerKeyId: string | null = null;
  try {
    const { caller, accessKeyId } = verifySignature(req, new URLSearchParams(req.rawQuery), state.now(), createKeyLookup(state), 'iam');
    callerArn = caller.arn;
    callerKeyId = accessKeyId;
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (handler === undefined)
      throw new StsError('InvalidAction', 400, `Could not find operation ${action || '(none)'} for version ${IAM_VERSION}`);
    authorize(state, caller, action, params);
    const result = handler(state, caller, params);
    return {
      status: 200,
      body: renderSuccess(action, result, requestId, IAM_NAMESPACE),
      action,
      callerArn,
      callerKeyId,
      params: loggableParams(params),
      code: 'OK',
    };
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    return {
      status: error.status,
      body: renderError(error, requestId, IAM_NAMESPACE),
      action: action || '(none)',
      callerArn,
      callerKeyId,
      params: loggableParams(params),
      code: error.code,
    };
  }
}
