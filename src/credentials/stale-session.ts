/**
 * A cached session STS no longer accepts although swrole thinks it valid: after a clock jump (laptop sleep, VM
 * resume) or a copied cache, STS answers ExpiredToken or InvalidClientTokenId. Sending the user to `swrole login`
 * then loops, since login finds the same entry "still valid" (issue 13). The entry is dropped and the session
 * obtained once more: a person gets the prompt, an agent the clear "run `swrole login`" error.
 */
import { isSwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import { getCallerIdentity } from './caller-identity.js';
import type { EngineContext } from './engine-options.js';

/** STS's answer to credentials it does not (or no longer) accept, as translated. */
export function isStaleSessionError(error: unknown): boolean {
  return isSwroleError(error) && (error.code === 'E_TOKEN_EXPIRED' || error.code === 'E_INVALID_KEYS');
}

/** Drops the cached entry `key` that STS refused, saying so once. */
export function dropStaleSession(ctx: EngineContext, key: string, what: string, error: unknown): void {
  const code = isSwroleError(error) ? error.code : 'refused';
  ctx.notice(
    `profile "${ctx.plan.profile}": STS no longer accepts the cached ${what} (${code}: clock jump or copied cache?): dropped it, getting a new one`,
  );
  ctx.store.remove(key);
}

/**
 * Whether STS still accepts cached `credentials` (GetCallerIdentity): what `swrole login` checks before it reports
 * a session as "still valid". A refused entry is dropped (false); other errors (network, throttling) propagate.
 */
export async function stillAccepted(ctx: EngineContext, key: string, credentials: Credentials, what: string): Promise<boolean> {
  try {
    await getCallerIdentity(ctx, credentials);
    return true;
  } catch (error) {
    if (!isStaleSessionError(error)) throw error;
    dropStaleSession(ctx, key, what, error);
    return false;
  }
}
