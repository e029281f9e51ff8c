/** Credentials as swrole hands them around; `expiration` is ISO 8601 (absent = static, never expires). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: string;
  accountId?: string;
}

export type SessionKind = 'mfaSession' | 'role' | 'source';

/** One cache file. `meta` describes the session (roleArn, assumedRoleArn, mfaSerial, obtainedAt...), never secrets. */
export interface StoredSession {
  version: 1;
  kind: SessionKind;
  profile: string;
  credentials: Credentials;
  meta: Record<string, string | number | boolean | null>;
}
