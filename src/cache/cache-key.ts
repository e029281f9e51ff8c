import { fastHash } from '../platform/fast-hash.js';

/**
 * Canonical JSON: object keys sorted at every depth, `undefined` members dropped (as JSON.stringify does),
 * so `{a, b}` and `{b, a}` hash alike. botocore does the same with `sort_keys=True` for ~/.aws/cli/cache
 * (docs/reference/aws-behaviour.md §5.1); we hash with fast-hash.ts (no node:crypto on the hot path).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = canonical(member);
    }
    return out;
  }
  return value;
}

/** Stable cache key: 64 hex chars hashed from the sorted-keys JSON of `parts`. The session file is `${key}.json`. */
export function cacheKey(parts: Record<string, unknown>): string {
  return fastHash(JSON.stringify(canonical(parts)));
}
