// Mutable emulator state: the world (kept on reset), the clock, issued sessions, used MFA codes.
import { findLongTermKey, newCredentials, type Caller, type Session } from './identity.js';
import type { KeyLookup } from './verify-signature.js';
import type { World } from './world.js';

export interface EmulatorState {
  world: World;
  now(): number;
  sessions: Map<string, Session>;
  /** MFA serial → time steps already used: a code is good once (docs/reference/aws-behaviour.md §6.5, "wrong/reused code"). */
  usedMfaSteps: Map<string, Set<number>>;
}

export function createState(world: World, now: () => number): EmulatorState {
  return { world, now, sessions: new Map(), usedMfaSteps: new Map() };
}

export function createKeyLookup(state: EmulatorState): KeyLookup {
  return (id) => {
    const session = state.sessions.get(id);
    if (session) return { secret: session.secret, caller: session.caller, session };
    return findLongTermKey(state.world, id, state.now());
  };
}

export function issueSession(state: EmulatorState, caller: Caller, seconds: number): Session {
  const creds = newCredentials();
  // AWS expirations have whole seconds.
  const expiresMs = Math.floor((state.now() + seconds * 1000) / 1000) * 1000;
  const session: Session = { ...creds, expiresMs, caller };
  state.sessions.set(session.accessKeyId, session);
  return session;
}

export function renderCredentials(s: Session) {
  return {
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secret,
    SessionToken: s.token,
    Expiration: new Date(s.expiresMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
