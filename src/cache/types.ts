import type { Credentials } from '../domain/credentials.js';

export type SessionKind = 'mfaSession' | 'role' | 'source';

/** One cache file. `meta` describes the session (roleArn, assumedRoleArn, mfaSerial, obtainedAt...), never secrets. */
export interface StoredSession {
  version: 1;
  kind: SessionKind;
  profile: string;
  credentials: Credentials;
  meta: Record<string, string | number | boolean | null>;
}
