import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import type { Plan } from '../plan/types.js';
import { MEMO_DIR } from '../cache/hit-memo.js';
import { openSessionStore } from '../cache/open-session-store.js';
import { REFUSALS_DIR } from './attribution-refusals.js';

/**
 * `swrole logout --all`: every cached session, the hit memos that could only point at them, and the remembered
 * attribution refusals (so a trust policy fixed just now is tried at once).
 */
export function forgetAllSessions(deps: Deps, warn: (message: string) => void): { removed: number; stateDir: string } {
  const { store, stateDir } = openSessionStore(deps, warn);
  const removed = store.clear();
  rmSync(join(stateDir, MEMO_DIR), { recursive: true, force: true });
  rmSync(join(stateDir, REFUSALS_DIR), { recursive: true, force: true });
  return { removed, stateDir };
}

/** `swrole logout PROFILE`: the sessions of every profile in the plan's chain (its roles and its source's MFA session). */
export function forgetPlanSessions(deps: Deps, plan: Plan, warn: (message: string) => void): { removed: number; profiles: string[] } {
  const { store } = openSessionStore(deps, warn);
  const names = new Set(plan.steps.map((step) => step.profile));
  let removed = 0;
  for (const { key, session } of store.list()) {
    if (!names.has(session.profile)) continue;
    store.remove(key);
    removed++;
  }
  return { removed, profiles: [...names] };
}
