/**
 * The profile picker's filter (issue 13): the typed query matches a name when its characters appear in the name in
 * order (a subsequence, case-insensitive, by code point so Japanese names match too), and matches are ranked as
 * fzf and Granted's picker do: a match at the start of the name or of a word (after `-`, `_`, `.`, `/`, a space, or
 * a lower-to-upper case change), and consecutive characters, score higher; gaps cost a little. Ties keep the
 * shorter name, then the original order.
 */

const START_BONUS = 8;
const WORD_BONUS = 6;
const CONSECUTIVE_BONUS = 7;
const MATCH_SCORE = 1;
const GAP_PENALTY = 0.25;
const NONE = Number.NEGATIVE_INFINITY;

const SEPARATORS = new Set([' ', '-', '_', '.', '/', ':', '@', '+', '(', ')', '[', ']', '\u3000']);

/** The bonus for a match at position `j` of `chars` (the original case, for camelCase word starts). */
function positionBonus(chars: readonly string[], j: number): number {
  if (j === 0) return START_BONUS;
  const previous = chars[j - 1]!;
  const current = chars[j]!;
  if (SEPARATORS.has(previous)) return WORD_BONUS;
  const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();
  const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
  if (isLower(previous) && isUpper(current)) return WORD_BONUS;
  if (/\d/.test(current) && !/\d/.test(previous)) return WORD_BONUS / 2;
  return 0;
}

/**
 * The best score of `query` as a subsequence of `text`, or undefined when it is not one. An empty query matches
 * everything with score 0. Dynamic programming over (query character, text position): O(query × text).
 */
export function fuzzyScore(query: string, text: string): number | undefined {
  const q = Array.from(query.toLowerCase()).filter((c) => c !== ' ');
  if (q.length === 0) return 0;
  const original = Array.from(text);
  const t = original.map((c) => c.toLowerCase());
  if (q.length > t.length) return undefined;
  const bonus = original.map((_, j) => positionBonus(original, j));
  // previous[j]: the best score with the query's previous character matched at text position j.
  let previous: number[] = t.map((c, j) => (c === q[0] ? MATCH_SCORE + bonus[j]! : NONE));
  for (let i = 1; i < q.length; i++) {
    const current: number[] = new Array<number>(t.length).fill(NONE);
    // best over k < j - 1 of previous[k] minus the gap (j - k - 1) × penalty, kept as a running value.
    let gapped = NONE;
    for (let j = 1; j < t.length; j++) {
      if (j >= 2) gapped = Math.max(gapped - GAP_PENALTY, previous[j - 2]! - GAP_PENALTY);
      if (t[j] !== q[i]) continue;
      const adjacent = previous[j - 1]! === NONE ? NONE : previous[j - 1]! + CONSECUTIVE_BONUS;
      const best = Math.max(adjacent, gapped);
      if (best !== NONE) current[j] = best + MATCH_SCORE + bonus[j]!;
    }
    previous = current;
  }
  const best = Math.max(...previous);
  return best === NONE ? undefined : best;
}

/**
 * The items whose text matches `query`, best first. `keys` gives each item's texts in order of preference (the
 * profile name, then the whole row): a match in a later text ranks below every match in the first, so typing
 * an account number or a role finds profiles too, after those whose name matches.
 */
export function fuzzyRank<T>(query: string, items: readonly T[], keys: (item: T) => readonly string[]): T[] {
  const ranked: Array<{ item: T; tier: number; score: number; length: number; index: number }> = [];
  items.forEach((item, index) => {
    const texts = keys(item);
    for (let tier = 0; tier < texts.length; tier++) {
      const score = fuzzyScore(query, texts[tier]!);
      if (score === undefined) continue;
      ranked.push({ item, tier, score, length: Array.from(texts[0] ?? '').length, index });
      return;
    }
  });
  if (query.trim() === '') return ranked.map((r) => r.item);
  ranked.sort((a, b) => a.tier - b.tier || b.score - a.score || a.length - b.length || a.index - b.index);
  return ranked.map((r) => r.item);
}
