/**
 * Which credentials may sign in to the AWS console, and how to get them (docs/reference/sso-keyring-console.md C.1):
 * role sessions (AssumeRole*) are used as they are; an IAM user's long-term keys first become a GetFederationToken
 * session (the sign-in service refuses long-term keys); GetSessionToken sessions can do neither and are refused.
 */
import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import type { Deps } from '../platform/deps.js';
import { translateStsError } from '../sts/translate-sts-error.js';
import { withRetry } from '../sts/with-retry.js';
import { READ_ONLY_POLICY_ARN, type AgentScope } from './agent-scope.js';
import { getCallerIdentity } from './caller-identity.js';
import type { CredentialRequest, EngineContext } from './engine-options.js';
import { getCredentials, planSessions, type Reporters } from './get-credentials.js';
import { createEngineContext } from './create-engine-context.js';
import { isLongTermSource, staticKeys } from './plan-strategy.js';
import type { PreparedRequest } from './prepare-request.js';
import { readSessionPolicy } from './session-policy.js';
import { resolveSourceCredentials } from './source-credentials.js';

export type ConsoleCredentials =
  | {
      kind: 'role';
      credentials: Credentials;
      /** The assumed-role ARN, for messages. */
      arn: string;
      /**
       * The role was assumed with temporary credentials (a chain, an MFA session, a credential_process or
       * environment source): AWS caps such console sessions at 1 h (gravitational/teleport#9792, C.1).
       */
      temporaryCaller: boolean;
    }
  | { kind: 'federated'; credentials: Credentials; arn: string };

export interface ConsoleOptions {
  /** GetFederationToken DurationSeconds (the console session of an IAM user lasts this long). */
  federationSeconds: number;
  /** --read-only / --policy: the federated session's policy instead of allow-all. */
  scope: AgentScope;
}

/**
 * A GetFederationToken session has no permissions unless a policy grants them; allow-all leaves exactly the user's
 * own permissions (the intersection), as aws-vault and Granted do (C.1).
 */
export const ALLOW_ALL_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' }],
});

/** GetFederationToken Name: 2–32 characters of [\w+=,.@-]; the IAM user's name, so CloudTrail shows who it was. */
export function federatedUserName(callerArn: string): string {
  const name = /:root$/.test(callerArn) ? 'root' : (callerArn.split('/').at(-1) ?? '');
  const clean = name.replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
  return clean.length >= 2 ? clean : `${clean}--`.slice(0, 2);
}

async function federate(ctx: EngineContext, keys: Credentials, options: ConsoleOptions): Promise<ConsoleCredentials> {
  const who = await getCallerIdentity(ctx, keys);
  const name = federatedUserName(who.arn);
  const policy = options.scope.policyFile !== undefined ? readSessionPolicy(options.scope.policyFile) : ALLOW_ALL_POLICY;
  const gateway = await ctx.gateway();
  ctx.debug(`sts: GetFederationToken name=${name} duration=${options.federationSeconds}s endpoint=${ctx.endpoint.url}`);
  try {
    const out = await withRetry(() =>
      gateway.getFederationToken(keys, {
        name,
        durationSeconds: options.federationSeconds,
        policy,
        ...(options.scope.readOnly ? { policyArns: [READ_ONLY_POLICY_ARN] } : {}),
      }),
    );
    return { kind: 'federated', credentials: out.credentials, arn: out.federatedUserArn };
  } catch (error) {
    throw translateStsError(error, { operation: 'GetFederationToken', profile: ctx.plan.profile, endpoint: ctx.endpoint.url });
  }
}

function sessionTokenOnly(profile: string, arn: string): SwroleError {
  return new SwroleError(
    'E_CONSOLE_CREDENTIALS',
    `profile "${profile}": its credentials are a GetSessionToken session (${arn}), which can neither sign in to the console nor call GetFederationToken`,
    {
      hint: `use a profile that assumes a role (role_arn), or the IAM user's long-term keys (swrole then calls GetFederationToken)`,
    },
  );
}

/** The credentials `swrole console` signs in with (the MFA session is never passed to GetFederationToken). */
export async function obtainConsoleCredentials(
  deps: Deps,
  prepared: PreparedRequest,
  request: CredentialRequest,
  reporters: Reporters,
  options: ConsoleOptions,
): Promise<ConsoleCredentials> {
  const { config, plan } = prepared;
  const source = plan.steps[0];
  const { hops } = planSessions(prepared, request);
  if (hops.length > 0) {
    const result = await getCredentials(deps, prepared, request, reporters);
    const last = hops.at(-1)!;
    const arn = typeof result.session?.meta.assumedRoleArn === 'string' ? result.session.meta.assumedRoleArn : last.step.roleArn;
    const temporaryCaller = hops.length > 1 || last.mfa === 'session' || !isLongTermSource(config, source);
    return { kind: 'role', credentials: result.credentials, arn, temporaryCaller };
  }
  const ctx = createEngineContext(deps, prepared, request, reporters);
  // An IAM user's own keys, straight from the profile: never its MFA session (GetFederationToken refuses session
  // credentials, and would carry no MFA context anyway).
  if (isLongTermSource(config, source)) {
    if (source.kind === 'keyring') return federate(ctx, await resolveSourceCredentials(ctx, source), options);
    const keys = staticKeys(config, source);
    return federate(ctx, { accessKeyId: keys.accessKeyId ?? '', secretAccessKey: keys.secretAccessKey ?? '' }, options);
  }
  // credential_process, a session token in the file, web identity, a container or instance role: their own
  // credentials (not the session the engine would make of long-term ones), and STS says who they are.
  const credentials = await resolveSourceCredentials(ctx, source);
  const who = await getCallerIdentity(ctx, credentials);
  if (who.arn.includes(':assumed-role/')) {
    return { kind: 'role', credentials, arn: who.arn, temporaryCaller: source.kind !== 'webIdentity' };
  }
  if (who.arn.includes(':federated-user/')) return { kind: 'federated', credentials, arn: who.arn };
  if (credentials.sessionToken === undefined) return federate(ctx, credentials, options);
  throw sessionTokenOnly(plan.profile, who.arn);
}
