import { createHash, randomInt, randomUUID } from 'node:crypto';

const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** RFC 7636 code verifier: 64 characters of the unreserved set, as the AWS CLI makes it (43–128 are valid). */
export function createCodeVerifier(): string {
  let verifier = '';
  for (let i = 0; i < 64; i++) verifier += VERIFIER_ALPHABET[randomInt(VERIFIER_ALPHABET.length)];
  return verifier;
}

/** S256: base64url(sha256(verifier)) without padding (docs/reference/sso-keyring-console.md A.4 vector). */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The `state` of an authorization request: a uuid4, as the CLI sends. */
export function createState(): string {
  return randomUUID();
}
