/**
 * The miss path of a plan without a role (plan-source-session.ts): long-term keys become a temporary session
 * before anyone gets them (issue 9 §1, issue 10): GetSessionToken, or GetFederationToken when a session policy
 * must apply. Cached like role sessions: one STS call for any number of parallel callers.
 */
import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import type { StoredSession } from '../cache/types.js';
import { storedSession } from '../cache/session-file.js';
import { translateStsError } from '../sts/translate-sts-error.js';
import { withRetry } from '../sts/with-retry.js';
import type { EngineContext } from './engine-options.js';
import type { CredentialResult } from './get-credentials.js';
import type { FederationRequest, SourceSessionPlan } from './plan-source-session.js';
import { describeSource } from './plan-cache-keys.js';
import { obtainMfaSession } from './obtain-mfa-session.js';
import { resolveSourceCredentials, ssoRuntimeOf } from './source-credentials.js';
import { fetchSsoSession } from './sso-credentials.js';
import { maskKeyId } from './mask-secret.js';
import { readSessionPolicy } from './session-policy.js';
import { callWithAttribution } from './call-with-attribution.js';
import { refusalKey } from './attribution-refusals.js';

/** Long-term IAM user keys: no session token (`AKIA…`; an `ASIA…` key always comes with one). */
export const isLongTermCredentials = (c: Credentials) => c.sessionToken === undefined && !c.accessKeyId.startsWith('ASIA');

async function sessionToken(ctx: EngineContext, caller: Credentials, durationSeconds: number): Promise<StoredSession> {
  const source = ctx.plan.steps[0];
  const gateway = await ctx.gateway();
  ctx.debug(
    `sts: GetSessionToken (no MFA) duration=${durationSeconds}s caller=${maskKeyId(caller.accessKeyId)} endpoint=${ctx.endpoint.url}`,
  );
  try {
    const credentials = await withRetry((signal) => gateway.getSessionToken(caller, { durationSeconds }, { signal }));
    return storedSession('source', source.profile, credentials, {
      sourceKind: 'sessionToken',
      obtainedAt: new Date(ctx.deps.now()).toISOString(),
    });
  } catch (error) {
    throw translateStsError(error, {
      operation: 'GetSessionToken',
      profile: ctx.plan.profile,
      endpoint: ctx.endpoint.url,
      transport: ctx.transport,
    });
  }
}

async function federationToken(ctx: EngineContext, caller: Credentials, r: FederationRequest): Promise<StoredSession> {
  const source = ctx.plan.steps[0];
  if (r.mfaSerial !== null) {
    ctx.notice(
      `warning: profile "${ctx.plan.profile}" has mfa_serial, but a scoped session of long-term keys (GetFederationToken) carries no MFA: ` +
        'AWS calls your IAM policies allow only with MFA will be denied in it',
    );
  }
  const policy =
    r.policyFile === null
      ? undefined
      : readSessionPolicy(
          r.policyFile,
          (cause) =>
            new SwroleError('E_POLICY_FILE', `profile "${ctx.plan.profile}": cannot read the session policy ${r.policyFile}`, {
              hint: 'check the path of the session policy JSON file',
              cause,
            }),
        );
  const gateway = await ctx.gateway();
  const out = await callWithAttribution({
    ctx,
    profile: ctx.plan.profile,
    attribution: r.tag ? { tag: r.tag } : undefined,
    recordKey: refusalKey('GetFederationToken', describeSource(ctx.config, source)),
    refuser: { kind: 'user' },
    call: (sent) => {
      ctx.debug(
        `sts: GetFederationToken name=${r.name} duration=${r.durationSeconds}s policyArns=${r.policyArns.join(',') || '-'} ` +
          `policy=${r.policyFile ?? '-'} tags=${sent.tag ? sent.tag.key : '-'} caller=${maskKeyId(caller.accessKeyId)} endpoint=${ctx.endpoint.url}`,
      );
      return withRetry((signal) =>
        gateway.getFederationToken(
          caller,
          {
            name: r.name,
            durationSeconds: r.durationSeconds,
            ...(policy !== undefined ? { policy } : {}),
            policyArns: r.policyArns,
            ...(sent.tag ? { tags: { [sent.tag.key]: sent.tag.value } } : {}),
          },
          { signal },
        ),
      );
    },
    translate: (error) =>
      translateStsError(error, {
        operation: 'GetFederationToken',
        profile: ctx.plan.profile,
        endpoint: ctx.endpoint.url,
        transport: ctx.transport,
      }),
  });
  return storedSession('source', source.profile, out.credentials, {
    sourceKind: 'federation',
    federatedUserArn: out.federatedUserArn,
    obtainedAt: new Date(ctx.deps.now()).toISOString(),
  });
}

/** The credentials a plan without a role hands out: a session of its source, cached under `key`, or the source as is. */
export async function obtainSourceSession(ctx: EngineContext, plan: SourceSessionPlan, key: string | undefined): Promise<CredentialResult> {
  const source = ctx.plan.steps[0];
  if (plan.kind === 'asIs' && source.kind === 'sso' && key !== undefined) {
    const { session, hit } = await ctx.store.obtain(key, () => fetchSsoSession(ssoRuntimeOf(ctx, source), source));
    return { credentials: session.credentials, session, sessionKey: key, hit };
  }
  if (plan.kind === 'asIs') {
    const credentials = await resolveSourceCredentials(ctx, source);
    if (plan.why === 'noSession' && isLongTermCredentials(credentials)) {
      ctx.notice(
        `warning: --no-session: profile "${ctx.plan.profile}" hands out its long-term key ${maskKeyId(credentials.accessKeyId)} itself, ` +
          'valid until someone deletes it; use this only for the rare API that refuses session credentials (IAM calls without MFA)',
      );
    }
    return { credentials, hit: false };
  }
  if (plan.kind === 'mfaSession') {
    const { session, hit } = await obtainMfaSession(ctx, { serial: plan.serial, mfaProcess: plan.mfaProcess });
    return { credentials: session.credentials, session, sessionKey: key, hit };
  }
  let fetch: (caller: Credentials) => Promise<StoredSession>;
  if (plan.kind === 'sessionToken') fetch = (caller) => sessionToken(ctx, caller, plan.durationSeconds);
  else fetch = (caller) => federationToken(ctx, caller, plan.request);
  if (plan.ifLongTerm) {
    // A credential_process: its keys are known only once it ran. Temporary ones go out as they are.
    const cached = key === undefined ? undefined : ctx.store.read(key);
    if (cached) return { credentials: cached.credentials, session: cached, sessionKey: key, hit: true };
    const credentials = await resolveSourceCredentials(ctx, source);
    if (!isLongTermCredentials(credentials)) {
      if (plan.kind === 'federation')
        throw new SwroleError(
          'E_SCOPE_UNSUPPORTED',
          `profile "${ctx.plan.profile}": the session policy cannot be applied: its credential_process returned temporary credentials, and only long-term keys can make a scoped session`,
          {
            hint: `grant a profile that assumes a role from it (role_arn + source_profile = ${source.profile}): the scope then goes into AssumeRole`,
          },
        );
      return { credentials, hit: false };
    }
    ctx.debug(`source: credential_process of profile "${source.profile}" returned long-term keys: making a session of them`);
    const { session, hit } = await ctx.store.obtain(key!, () => fetch(credentials));
    return { credentials: session.credentials, session, sessionKey: key, hit };
  }
  // The source is resolved inside the lock: 50 parallel callers make one STS call.
  const { session, hit } = await ctx.store.obtain(key!, async () => fetch(await resolveSourceCredentials(ctx, source)));
  return { credentials: session.credentials, session, sessionKey: key, hit };
}
