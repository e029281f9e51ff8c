import { SwroleError } from '../errors.js';
import type { AgentAttribution } from '../plan/types.js';
import { redactSecrets } from '../platform/redact-secrets.js';
import { refusedAttributionAction, type AttributionAction } from '../sts/refused-action.js';
import {
  REFUSAL_TTL_MS,
  SETTING_OF,
  decideAttributionRetry,
  readDroppedParts,
  remainingAttribution,
  writeRefusal,
  type AttributionPart,
} from './attribution-refusals.js';
import type { EngineContext } from './engine-options.js';

export interface AttributedCall<T> {
  ctx: EngineContext;
  /** The profile whose settings decide (`swrole_agent_tags`, `swrole_source_identity`). */
  profile: string;
  attribution: AgentAttribution | undefined;
  /** The refusal record's key (attribution-refusals.ts refusalKey). */
  recordKey: string;
  /** What refuses: a role's trust policy, or the IAM user's own policies (GetFederationToken). */
  refuser: { kind: 'role'; roleArn: string } | { kind: 'user' };
  /** One STS call (with its transient retries) sending `sent`; throws the SDK error. */
  call: (sent: AgentAttribution) => Promise<T>;
  /** Any other STS error → the SwroleError the user sees. */
  translate: (error: unknown) => SwroleError;
  /** Runs before the retry (a role assumed with MFA directly needs a fresh code: STS took the first one). */
  beforeRetry?: () => Promise<void>;
}

const describeParts = (parts: Iterable<AttributionPart>) =>
  [...parts].map((p) => (p === 'tags' ? 'the swrole:agent session tag' : 'the SourceIdentity')).join(' and ');

const ACTION_OF: Record<AttributionPart, AttributionAction> = { tags: 'sts:TagSession', sourceIdentity: 'sts:SetSourceIdentity' };

function whereToFix(refuser: AttributedCall<unknown>['refuser'], actions: readonly string[]): string {
  const list = actions.map((a) => `"${a}"`).join(' and ');
  return refuser.kind === 'role'
    ? `add ${list} to the Action list of the statement in the trust policy of ${refuser.roleArn} that trusts you`
    : `add ${list} to the IAM user's own policy (GetFederationToken checks the caller's permissions)`;
}

function refusedError(o: AttributedCall<unknown>, part: AttributionPart, action: AttributionAction, error: unknown): SwroleError {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  const who = o.refuser.kind === 'role' ? `role ${o.refuser.roleArn}` : 'your IAM user';
  return new SwroleError(
    'E_ATTRIBUTION_REFUSED',
    `profile "${o.profile}": ${who} does not allow ${action}, and ${SETTING_OF[part]} = required: ${message}`,
    {
      hint: `${whereToFix(o.refuser, [action])} (docs/troubleshooting.md "Agent attribution"), or set ${SETTING_OF[part]} = auto to go on without it`,
      cause: error,
    },
  );
}

/**
 * An STS call carrying an agent's attribution, best effort (DESIGN.md Agents): parts a recent refusal recorded
 * are not sent; a refusal of an `auto` part is recorded, warned about once, and the call made once more without
 * it; a refusal of a `required` part fails with E_ATTRIBUTION_REFUSED naming the action and the fix.
 */
export async function callWithAttribution<T>(o: AttributedCall<T>): Promise<T> {
  const { ctx } = o;
  const dropped = o.attribution ? readDroppedParts(ctx.stateDir, o.recordKey, ctx.deps.now()) : new Set<AttributionPart>();
  for (const part of dropped)
    if ((part === 'tags' ? o.attribution?.tag : o.attribution?.sourceIdentity)?.mode !== 'auto') dropped.delete(part);
  if (dropped.size > 0) ctx.debug(`attribution: not sending ${describeParts(dropped)} (refused earlier, remembered for up to 6 h)`);
  let error: unknown;
  try {
    return await o.call(remainingAttribution(o.attribution, dropped));
  } catch (caught) {
    error = caught;
  }
  const action = refusedAttributionAction(error);
  const decision = action === undefined ? undefined : decideAttributionRetry(o.attribution, dropped, action);
  if (action === undefined || decision === undefined) throw o.translate(error);
  if ('required' in decision) throw refusedError(o, decision.required, action, error);

  const now = ctx.deps.now();
  writeRefusal(
    ctx.stateDir,
    o.recordKey,
    {
      version: 1,
      subject: o.refuser.kind === 'role' ? o.refuser.roleArn : 'GetFederationToken',
      refused: action,
      dropped: [...decision.retryWithout],
      until: new Date(now + REFUSAL_TTL_MS).toISOString(),
    },
    ctx.deps.platform,
  );
  const who = o.refuser.kind === 'role' ? `the trust policy of ${o.refuser.roleArn}` : "your IAM user's policies";
  const settings = [...decision.retryWithout].map((p) => `${SETTING_OF[p]} = off`).join(' and ');
  ctx.notice(
    `warning: ${who} do${o.refuser.kind === 'role' ? 'es' : ''} not allow ${action}: this session goes without ${describeParts(decision.retryWithout)}, ` +
      `and swrole will not send ${decision.retryWithout.size > 1 ? 'them' : 'it'} there for 6 h. To keep the attribution, ` +
      `${whereToFix(
        o.refuser,
        [...decision.retryWithout].map((p) => ACTION_OF[p]),
      )}; to silence this, set ${settings} in profile "${o.profile}"`,
  );
  await o.beforeRetry?.();
  try {
    return await o.call(remainingAttribution(o.attribution, decision.retryWithout));
  } catch (again) {
    const next = refusedAttributionAction(again);
    const second = next === undefined ? undefined : decideAttributionRetry(o.attribution, decision.retryWithout, next);
    if (next !== undefined && second !== undefined && 'required' in second) throw refusedError(o, second.required, next, again);
    throw o.translate(again);
  }
}
