import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in time that depends on neither: both are hashed to 32 bytes
 * first, so `timingSafeEqual` never sees different lengths (it throws on those, and an early length check would
 * tell an attacker the token's length). aws-vault's server compares with `!=` (docs/reference/sso-keyring-console.md
 * C.3); a loopback attacker can time that byte by byte.
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected !== '';
}
