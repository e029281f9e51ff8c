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
import { CHAINED_MAX_SECONDS, type HopPlan, mfaSessionSeconds } from './plan-strategy.js';
import { mfaSessionKey } from './plan-cache-keys.js';
import type { ObtainOptions, ObtainResult } from '../cache/session-store.js';
import { planSessions, type CredentialResult, type PlannedSessions } from './get-credentials.js';
import { resolveMfaCode } from './mfa-code.js';
import { resolveSourceCredentials } from './source-credentials.js';
import { maskKeyId } from './mask-secret.js';
import { defaultSessionName } from './plan-strategy.js';
import { readSessionPolicy } from './session-policy.js';

/**
 * The MFA code for `hop`, from --mfa-code, mfa_process or the terminal (in that order). Asked under the cache
 * locks: while a person is being waited for, the lock records say so, which bounds how long others wait.
 */
function askMfaCode(ctx: EngineContext, hop: HopPlan): Promise<string> {
  return resolveMfaCode({
    profile: ctx.plan.profile,
    serial: hop.step.mfaSerial ?? '',
    flag: ctx.request.mfaCode,
    mfaProcess: hop.step.mfaProcess,
    allowPrompt: ctx.request.allowPrompt,
    deps: ctx.deps,
    waiting: (what) => ctx.store.setLockActivity(what === undefined ? undefined : { doing: what, person: true }),
  });
}

/** Whether a person waits on this run (bounds how long it waits for another swrole's prompt). */
function obtainOptions(ctx: EngineContext, replace = false): ObtainOptions {
  return { interactive: () => ctx.request.allowPrompt && ctx.deps.interactive, replace };
}

/**
 * The MFA session (GetSessionToken with MFA) of the plan's source identity: cached, one prompt per session.
 * `fresh` (`login --force`) asks for a new one, but the valid one stays cached, and served, until the new one
 * is stored: a typo, a wrong code or an STS outage logs nobody out (issues 13, 15).
 */
export async function obtainMfaSession(ctx: EngineContext, hop: HopPlan, fresh = false): Promise<{ session: StoredSession; hit: boolean }> {
  const serial = hop.step.mfaSerial ?? '';
  const source = ctx.plan.steps[0];
  const key = mfaSessionKey(ctx.config, source, serial, ctx.endpoint);
  const fetch = async (): Promise<StoredSession> => {
    // Ask for the code before loading the SDK: a caller that cannot be prompted fails in milliseconds.
    const tokenCode = await askMfaCode(ctx, hop);
    const caller = await resolveSourceCredentials(ctx, source);
    const durationSeconds = mfaSessionSeconds(ctx.config, ctx.plan, ctx.request.mfaSessionSeconds);
    const gateway = await ctx.gateway();
    ctx.debug(
      `sts: GetSessionToken serial=${serial} duration=${durationSeconds}s caller=${maskKeyId(caller.accessKeyId)} endpoint=${ctx.endpoint.url}`,
    );
    try {
      const credentials = await withRetry((signal) =>
        gateway.getSessionToken(caller, { serialNumber: serial, tokenCode, durationSeconds }, { signal }),
      );
      return storedSession('mfaSession', source.profile, credentials, {
        mfaSerial: serial,
        obtainedAt: new Date(ctx.deps.now()).toISOString(),
      });
    } catch (error) {
      throw translateStsError(error, {
        operation: 'GetSessionToken',
        profile: ctx.plan.profile,
        mfaSerial: serial,
        endpoint: ctx.endpoint.url,
        transport: ctx.transport,
      });
    }
  };
  // obtain() answers a valid cached session itself (hit: true) before it takes the lock.
  return ctx.store.obtain(key, fetch, obtainOptions(ctx, fresh));
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

async function assumeHop(ctx: EngineContext, hops: readonly HopPlan[], keys: readonly string[], index: number): Promise<StoredSession> {
  const hop = hops[index]!;
  const step = hop.step;
  let caller: Credentials;
  if (index > 0) caller = (await hopSession(ctx, hops, keys, index - 1)).session.credentials;
  else if (hop.mfa === 'session') caller = (await obtainMfaSession(ctx, hop)).session.credentials;
  else caller = await resolveSourceCredentials(ctx, ctx.plan.steps[0]);

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
    tokenCode = await askMfaCode(ctx, hop);
  }
  const policy = readPolicy(hop);
  const roleSessionName = step.roleSessionName ?? defaultSessionName(ctx.deps.now());
  const gateway = await ctx.gateway();
  ctx.debug(
    `sts: AssumeRole ${step.roleArn} session=${roleSessionName} mfa=${hop.mfa} duration=${durationSeconds ?? 'default'} caller=${maskKeyId(caller.accessKeyId)} endpoint=${ctx.endpoint.url}`,
  );
  try {
    const out = await withRetry((signal) =>
      gateway.assumeRole(
        caller,
        {
          roleArn: step.roleArn,
          roleSessionName,
          ...(step.externalId !== null ? { externalId: step.externalId } : {}),
          ...(tokenCode !== undefined ? { serialNumber: step.mfaSerial ?? '', tokenCode } : {}),
          ...(durationSeconds !== undefined ? { durationSeconds } : {}),
          ...(policy !== undefined ? { policy } : {}),
          ...(step.sourceIdentity !== null ? { sourceIdentity: step.sourceIdentity } : {}),
          policyArns: step.policyArns,
          tags: step.sessionTags,
          transitiveTagKeys: step.transitiveTagKeys,
        },
        { signal },
      ),
    );
    return storedSession('role', step.profile, out.credentials, {
      roleArn: step.roleArn,
      assumedRoleArn: out.assumedRoleArn,
      via: hop.mfa,
      obtainedAt: new Date(ctx.deps.now()).toISOString(),
    });
  } catch (error) {
    throw translateStsError(error, {
      operation: 'AssumeRole',
      profile: step.profile,
      roleArn: step.roleArn,
      mfaSerial: step.mfaSerial ?? undefined,
      endpoint: ctx.endpoint.url,
      transport: ctx.transport,
      tagsOrSourceIdentity: step.sourceIdentity !== null || Object.keys(step.sessionTags).length > 0,
    });
  }
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
  if (hops.length === 0) return { credentials: await resolveSourceCredentials(ctx, ctx.plan.steps[0]), hit: false };
  const { session, hit } = await hopSession(ctx, hops, keys, keys.length - 1);
  return { credentials: session.credentials, session, sessionKey: keys.at(-1), hit };
}
