/**
 * `swrole sessions` (issue 13): every cached MFA and role session, as rows without secrets. Read straight from the
 * store, no STS call: what swrole would hand out, and until when.
 */
import { openSessionStore } from '../cache/open-session-store.js';
import type { Deps } from '../platform/deps.js';

export interface SessionRow {
  /** The profile the session was obtained for (an MFA session: its source profile). */
  profile: string;
  kind: 'mfa' | 'role' | 'source';
  /** The assumed-role ARN, the federated user, or the MFA device: who these credentials are. */
  identity: string;
  /** ISO 8601 UTC; null for credentials that never expire. */
  expiration: string | null;
  /** How it was obtained: `GetSessionToken with MFA`, `AssumeRole from the MFA session`, .... */
  source: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const SOURCE_KIND: Record<string, string> = {
  sessionToken: 'GetSessionToken of long-term keys',
  federation: 'GetFederationToken (scoped)',
  process: 'credential_process',
  webIdentity: 'AssumeRoleWithWebIdentity',
};

const VIA: Record<string, string> = {
  session: 'AssumeRole with the MFA session',
  direct: 'AssumeRole with an MFA code',
  none: 'AssumeRole',
};

export function listSessions(deps: Deps, warn: (message: string) => void): SessionRow[] {
  const { store } = openSessionStore(deps, warn);
  const rows = store.list().map(({ session }): SessionRow => {
    const meta = session.meta;
    const expiration = session.credentials.expiration ?? null;
    if (session.kind === 'mfaSession') {
      return {
        profile: session.profile,
        kind: 'mfa',
        identity: text(meta.mfaSerial) ?? '-',
        expiration,
        source: 'GetSessionToken with MFA',
      };
    }
    if (session.kind === 'role') {
      const via = text(meta.via);
      return {
        profile: session.profile,
        kind: 'role',
        identity: text(meta.assumedRoleArn) ?? text(meta.roleArn) ?? '-',
        expiration,
        source: via === undefined ? 'AssumeRole' : (VIA[via] ?? `AssumeRole (${via})`),
      };
    }
    return {
      profile: session.profile,
      kind: 'source',
      identity: text(meta.federatedUserArn) ?? text(meta.assumedRoleArn) ?? text(meta.roleArn) ?? '-',
      expiration,
      source: SOURCE_KIND[text(meta.sourceKind) ?? ''] ?? 'source credentials',
    };
  });
  const order = { mfa: 0, source: 1, role: 2 };
  return rows.sort((a, b) => order[a.kind] - order[b.kind] || a.profile.localeCompare(b.profile));
}
