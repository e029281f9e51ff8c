import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import { resolveStateDir } from '../platform/resolve-state-dir.js';
import { createSessionStore, type SessionStore } from './session-store.js';

/** swrole's state dir and the session store in it: the one place that names `sessions/` (full and fast path). */
export function openSessionStore(deps: Deps, warn: (message: string) => void): { store: SessionStore; stateDir: string } {
  const stateDir = resolveStateDir(deps.env, deps.homedir, deps.platform);
  const store = createSessionStore({
    dir: join(stateDir, 'sessions'),
    now: deps.now,
    warn,
    notice: (message) => deps.stderr.write(`swrole: ${message}\n`),
    pid: deps.pid,
    command: deps.invocation ?? 'swrole',
    platform: deps.platform,
  });
  return { store, stateDir };
}
