/**
 * The miss path: runs a plan against STS (DESIGN.md Sessions and the cache). Imported dynamically by the
 * commands only when the hot-path cache read missed.
 */
import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import type { StoredSession } from '../cache/types.js';
import { storedSession } from '../cache/session-file.js';
import { translateStsError } from '../sts/translate-sts-error.js';
import { withRetry } from '../sts/with-retry.js';
import type { EngineContext } from './engine-options.js';
import { CHAINED_MAX_SECONDS, type HopPlan } from './plan-strategy.js';
import type { ObtainOptions, ObtainResult } from '../cache/session-store.js';
import { planSessions, type CredentialResult, type PlannedSessions } from './get-credentials.js';
import { askMfaCode, mfaDeviceOf, obtainMfaSession } from './obtain-mfa-session.js';
import { resolveSourceCredentials } from './source-credentials.js';
import { maskKeyId } from './mask-secret.js';
import { defaultSessionName } from './plan-strategy.js';
import { readSessionPolicy } from './session-policy.js';
import { callWithAttribution } from './call-with-attribution.js';
import { refusalKey } from './attribution-refusals.js';
import { describeSource } from './plan-cache-keys.js';
import { obtainSourceSession } from './obtain-source-session.js';
import { mfaSessionKey } from './plan-cache-keys.js';
import { dropStaleSession, isStaleSessionError } from './stale-session.js';
import { tokenCacheKey } from '../sso/sso-cache-names.js';

/** Whether a person waits on this run (bounds how long it waits for another swrole's prompt). */
export function obtainOptions(ctx: EngineContext, replace = false): ObtainOptions {
  return { interactive: () => ctx.request.allowPrompt && ctx.deps.interactive, replace };
}

function readPolicy(hop: HopPlan): string | undefined {
  const file = hop.step.policyFile;
  if (file === null) return undefined;
  // Validated and minified: STS counts the policy's characters, so whitespace must not push it over 2048.
  return readSessionPolicy(
    file,
    (cause) =>
      new SwroleError('E_POLICY_FILE', `profile "${hop.step.profile}": cannot read swrole_session_policy_file ${file}`, {
        hint: 'check the path of the session policy JSON file',
        cause,
      }),
  );
}

/** The credentials hop `index` is assumed with, and the cache entry they came from when they were a hit. */
async function callerOf(
  ctx: EngineContext,
  hops: readonly HopPlan[],
  keys: readonly string[],
  index: number,
): Promise<{ credentials: Credentials; cached?: { key: string; what: string } }> {
  const hop = hops[index]!;
  if (index > 0) {
    const { session, hit } = await hopSession(ctx, hops, keys, index - 1);
    return {
      credentials: session.credentials,
      ...(hit ? { cached: { key: keys[index - 1]!, what: `role session of "${hops[index - 1]!.step.profile}"` } } : {}),
    };
  }
  if (hop.mfa === 'session') {
    const device = mfaDeviceOf(hop);
    const { session, hit } = await obtainMfaSession(ctx, device);
    const key = mfaSessionKey(ctx.config, ctx.plan.steps[0], device.serial, ctx.endpoint);
    return { credentials: session.credentials, ...(hit ? { cached: { key, what: `MFA session for ${device.serial}` } } : {}) };
  }
  return { credentials: await resolveSourceCredentials(ctx, ctx.plan.steps[0]) };
}

async function assumeHop(ctx: EngineContext, hops: readonly HopPlan[], keys: readonly string[], index: number): Promise<StoredSession> {
  const caller = await callerOf(ctx, hops, keys, index);
  try {
    return await assumeHopWith(ctx, hops, keys, index, caller.credentials);
  } catch (error) {
    // A cached caller STS refuses (clock jump, copied cache): drop it and try once more with a new one (issue 13).
    if (caller.cached === undefined || !isStaleSessionError(error)) throw error;
    dropStaleSession(ctx, caller.cached.key, caller.cached.what, error);
    const again = await callerOf(ctx, hops, keys, index);
    return assumeHopWith(ctx, hops, keys, index, again.credentials);
  }
}

async function assumeHopWith(
  ctx: EngineContext,
  hops: readonly HopPlan[],
  keys: readonly string[],
  index: number,
  caller: Credentials,
): Promise<StoredSession> {
  const hop = hops[index]!;
  const step = hop.step;
  const source = ctx.plan.steps[0];
  let durationSeconds = hop.requestedSeconds ?? undefined;
  // AWS caps roles assumed with temporary credentials (chaining, MFA sessions) at 1 h and answers a
  // longer request with a ValidationError (§2.6); cap it ourselves and say so once.
  if (caller.sessionToken !== undefined && durationSeconds !== undefined && durationSeconds > CHAINED_MAX_SECONDS) {
    ctx.notice(
      `profile "${step.profile}": role session capped at 1 h (asked for ${durationSeconds} s): AWS limits roles assumed with temporary credentials`,
    );
    durationSeconds = CHAINED_MAX_SECONDS;
  }
  let tokenCode: string | undefined;
  if (hop.mfa === 'direct') {
    tokenCode = await askMfaCode(ctx, mfaDeviceOf(hop));
  }
  const policy = readPolicy(hop);
  const roleSessionName = step.roleSessionName ?? defaultSessionName(ctx.deps.now());
  const gateway = await ctx.gateway();
  const callerKey = index === 0 ? describeSource(ctx.config, ctx.plan.steps[0]) : { role: keys[index - 1] };
  const out = await callWithAttribution({
    ctx,
    profile: step.profile,
    attribution: step.agentAttribution,
    recordKey: refusalKey(step.roleArn, callerKey),
    refuser: { kind: 'role', roleArn: step.roleArn },
    // STS consumed the first code (a code is good once): a direct-MFA retry needs the next one.
    beforeRetry: async () => {
      if (hop.mfa === 'direct') tokenCode = await askMfaCode(ctx, mfaDeviceOf(hop));
    },
    call: (sent) => {
      const sourceIdentity = step.sourceIdentity ?? sent.sourceIdentity?.value;
      const tags = sent.tag ? { ...step.sessionTags, [sent.tag.key]: sent.tag.value } : step.sessionTags;
      ctx.debug(
        `sts: AssumeRole ${step.roleArn} session=${roleSessionName} mfa=${hop.mfa} duration=${durationSeconds ?? 'default'} caller=${maskKeyId(caller.accessKeyId)} ` +
          `sourceIdentity=${sourceIdentity ?? '-'} tags=${Object.keys(tags).join(',') || '-'} endpoint=${ctx.endpoint.url}`,
      );
      return withRetry((signal) =>
        gateway.assumeRole(
          caller,
          {
            roleArn: step.roleArn,
            roleSessionName,
            ...(step.externalId !== null ? { externalId: step.externalId } : {}),
            ...(tokenCode !== undefined ? { serialNumber: step.mfaSerial ?? '', tokenCode } : {}),
            ...(durationSeconds !== undefined ? { durationSeconds } : {}),
            ...(policy !== undefined ? { policy } : {}),
            ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
            policyArns: step.policyArns,
            tags,
            transitiveTagKeys: step.transitiveTagKeys,
          },
          { signal },
        ),
      );
    },
    translate: (error) =>
      translateStsError(error, {
        operation: 'AssumeRole',
        profile: step.profile,
        roleArn: step.roleArn,
        mfaSerial: step.mfaSerial ?? undefined,
        endpoint: ctx.endpoint.url,
        transport: ctx.transport,
        tagsOrSourceIdentity: step.sourceIdentity !== null || Object.keys(step.sessionTags).length > 0,
      }),
  });
  return storedSession('role', step.profile, out.credentials, {
    roleArn: step.roleArn,
    assumedRoleArn: out.assumedRoleArn,
    via: hop.mfa,
    obtainedAt: new Date(ctx.deps.now()).toISOString(),
    // `swrole logout` of the IAM Identity Center sign-in behind the chain finds (and drops) these too.
    ...(source.kind === 'sso' ? { ssoToken: tokenCacheKey(source.ssoSession, source.startUrl) } : {}),
  });
}

/** Hop `index`'s role session: cache hit, else lock + re-check + assume once (callers resolved inside the lock). */
async function hopSession(ctx: EngineContext, hops: readonly HopPlan[], keys: readonly string[], index: number): Promise<ObtainResult> {
  return ctx.store.obtain(keys[index]!, () => assumeHop(ctx, hops, keys, index), obtainOptions(ctx));
}

/** The plan's credentials: the source alone, or the last role of the chain (hit when no STS call was needed). */
export async function obtainCredentials(
  ctx: EngineContext,
  planned: PlannedSessions = planSessions(ctx, ctx.request),
): Promise<CredentialResult> {
  const { hops, keys } = planned;
  if (hops.length === 0) return obtainSourceSession(ctx, planned.source ?? { kind: 'asIs', why: 'temporary' }, keys[0]);
  const { session, hit } = await hopSession(ctx, hops, keys, keys.length - 1);
  return { credentials: session.credentials, session, sessionKey: keys.at(-1), hit };
}
