import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import type { Plan } from '../plan/types.js';
import { MEMO_DIR } from '../cache/hit-memo.js';
import { openSessionStore } from '../cache/open-session-store.js';
import { stateDirError, translateFileErrors } from '../platform/file-system-error.js';

/** Removing a session is a write of the state dir: one that fails is E_STATE_DIR naming the directory. */
function removing<T>(dir: string, remove: () => T): T {
  return translateFileErrors(remove, (error) => stateDirError('remove', error.path ?? dir, error, ''));
}
import { REFUSALS_DIR } from './attribution-refusals.js';

/**
 * `swrole logout --all`: every cached session, the hit memos that could only point at them, and the remembered
 * attribution refusals (so a trust policy fixed just now is tried at once).
 */
export function forgetAllSessions(deps: Deps, warn: (message: string) => void): { removed: number; stateDir: string } {
  const { store, stateDir } = openSessionStore(deps, warn);
  const removed = removing(join(stateDir, 'sessions'), () => store.clear());
  const memoDir = join(stateDir, MEMO_DIR);
  removing(memoDir, () => {
    try {
      rmSync(memoDir, { recursive: true, force: true });
    } catch (error) {
      // A state dir under a plain file holds nothing to remove.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  });
  const refusals = join(stateDir, REFUSALS_DIR);
  removing(refusals, () => {
    try {
      rmSync(refusals, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  });
  return { removed, stateDir };
}

/**
 * `swrole logout PROFILE`: the sessions of every profile in the plan's chain (its roles and its source's MFA session),
 * and with `ssoToken` every role session obtained with that IAM Identity Center sign-in (signed out: none stays).
 */
export function forgetPlanSessions(
  deps: Deps,
  plan: Plan,
  warn: (message: string) => void,
  ssoToken?: string,
): { removed: number; profiles: string[] } {
  const { store, stateDir } = openSessionStore(deps, warn);
  const names = new Set(plan.steps.map((step) => step.profile));
  let removed = 0;
  for (const { key, session } of store.list()) {
    if (!names.has(session.profile) && (ssoToken === undefined || session.meta.ssoToken !== ssoToken)) continue;
    removing(join(stateDir, 'sessions'), () => store.remove(key));
    removed++;
  }
  // Temp files of killed writers hold whole sessions (MFA ones too) and cannot be told apart by profile cheaply:
  // a logout removes them all, as --all does.
  store.clearTempFiles();
  return { removed, profiles: [...names] };
}
