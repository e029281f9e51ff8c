import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey } from '../cache/cache-key.js';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { ensurePrivateDir } from '../platform/private-dir.js';
import type { AgentAttribution } from '../plan/types.js';
import type { AttributionAction } from '../sts/refused-action.js';

/**
 * Best-effort attribution (issue 9 §2). Most trust policies allow only sts:AssumeRole, so an agent's
 * SourceIdentity and `swrole:agent` tag make AssumeRole fail. When STS refuses one of them, swrole retries once
 * without them and remembers that, per role and caller, in a small record under the state dir, so later calls
 * do not pay a refused call first. The record expires, so a trust policy fixed since is noticed.
 */
export type AttributionPart = 'tags' | 'sourceIdentity';

/** Under the state dir; one small JSON file per role and caller, no secrets. */
export const REFUSALS_DIR = 'refusals';
/** A fixed trust policy is noticed within 6 h; a role that keeps refusing costs one refused call per 6 h. */
export const REFUSAL_TTL_MS = 6 * 3600_000;

const PART_OF: Record<AttributionAction, AttributionPart> = { 'sts:TagSession': 'tags', 'sts:SetSourceIdentity': 'sourceIdentity' };

/** What a refused attribution part looks like in the configuration (for messages). */
export const SETTING_OF: Record<AttributionPart, string> = { tags: 'swrole_agent_tags', sourceIdentity: 'swrole_source_identity' };

export interface RefusalRecord {
  version: 1;
  /** The role ARN (or the federated user's source) that refused; for people reading the file. */
  subject: string;
  refused: AttributionAction;
  dropped: AttributionPart[];
  until: string;
}

/** The record's file name for a role and its caller (the caller as the cache keys describe it). */
export function refusalKey(subject: string, caller: unknown): string {
  return cacheKey({ type: 'attributionRefusal', subject, caller });
}

/** The parts a still-valid record says not to send (empty when there is none, it expired, or it is unreadable). */
export function readDroppedParts(stateDir: string, key: string, nowMs: number): Set<AttributionPart> {
  try {
    const record = JSON.parse(readFileSync(join(stateDir, REFUSALS_DIR, `${key}.json`), 'utf8')) as RefusalRecord;
    if (record?.version !== 1 || !Array.isArray(record.dropped) || !(Date.parse(record.until) > nowMs)) return new Set();
    return new Set(record.dropped.filter((p): p is AttributionPart => p === 'tags' || p === 'sourceIdentity'));
  } catch {
    return new Set();
  }
}

/** Best effort: a read-only state dir (an agent sandbox) only means the next call pays the refused call again. */
export function writeRefusal(stateDir: string, key: string, record: RefusalRecord, platform: NodeJS.Platform): void {
  const dir = join(stateDir, REFUSALS_DIR);
  try {
    ensurePrivateDir(dir, platform);
    writeFileAtomic(dir, `${key}.json`, `${JSON.stringify(record)}\n`, platform);
  } catch {
    // not remembered
  }
}

export type RetryDecision = { retryWithout: Set<AttributionPart> } | { required: AttributionPart } | undefined;

/**
 * PURE: what to do when STS refused `action`. undefined: not an attribution swrole added (the profile's own
 * `session_tags`/`source_identity`, or a part already dropped): a plain error. `required`: the part is mandatory:
 * fail. Otherwise retry without every part still in `auto` — AWS names one refused action per answer, and a trust
 * policy that lacks one almost always lacks both, so one retry instead of two.
 */
export function decideAttributionRetry(
  attribution: AgentAttribution | undefined,
  dropped: ReadonlySet<AttributionPart>,
  action: AttributionAction,
): RetryDecision {
  const part = PART_OF[action];
  const wanted = part === 'tags' ? attribution?.tag : attribution?.sourceIdentity;
  if (wanted === undefined) return undefined;
  if (wanted.mode === 'required') return { required: part };
  if (dropped.has(part)) return undefined;
  const next = new Set(dropped);
  next.add(part);
  if (attribution?.tag?.mode === 'auto') next.add('tags');
  if (attribution?.sourceIdentity?.mode === 'auto') next.add('sourceIdentity');
  return { retryWithout: next };
}

/** The attribution that is still sent after `dropped`; a `required` part is always sent (a record never drops it). */
export function remainingAttribution(attribution: AgentAttribution | undefined, dropped: ReadonlySet<AttributionPart>): AgentAttribution {
  const keep = (part: AttributionPart, mode: string | undefined) => mode === 'required' || !dropped.has(part);
  return {
    ...(attribution?.sourceIdentity && keep('sourceIdentity', attribution.sourceIdentity.mode)
      ? { sourceIdentity: attribution.sourceIdentity }
      : {}),
    ...(attribution?.tag && keep('tags', attribution.tag.mode) ? { tag: attribution.tag } : {}),
  };
}
