// Test controls of the emulated IAM Identity Center (docs/reference/sso-keyring-console.md D.1 §5): approve or deny a
// device code, list pending ones, revoke an access token (aws-cli#7340), issue a sign-in directly (a login done
// earlier), and release calls held by a `hold` fault.
import type { EmulatorState } from './state.js';
import { defaultUser, findInstance, issueTokens, opaque, type SsoState } from './sso-state.js';

export interface SsoControls {
  sso: SsoState;
  /** Calls held by a `hold` fault: how many wait, and letting them go. */
  held(): number;
  release(): number;
}

type Reply = { status: number; body: unknown };

export function handleSsoControl(
  c: SsoControls,
  state: EmulatorState,
  method: string,
  path: string,
  json: () => unknown,
): Reply | undefined {
  const s = c.sso;
  const body = () => (json() ?? {}) as Record<string, unknown>;
  switch (`${method} ${path}`) {
    case 'GET /__emulator/held':
      return { status: 200, body: { held: c.held() } };
    case 'POST /__emulator/release':
      return { status: 200, body: { released: c.release() } };
    case 'GET /__emulator/sso/pending':
      return {
        status: 200,
        body: [...s.devices.values()]
          .filter((d) => d.status === 'pending')
          .map((d) => ({ userCode: d.userCode, startUrl: d.instance.startUrl, polls: d.polls })),
      };
    case 'POST /__emulator/sso/approve':
    case 'POST /__emulator/sso/deny': {
      const { userCode, user } = body();
      const grant = [...s.devices.values()].find((d) => d.userCode === userCode && d.status === 'pending');
      if (!grant) return { status: 404, body: { error: `no pending device code ${String(userCode)}` } };
      if (path.endsWith('/deny')) grant.status = 'denied';
      else Object.assign(grant, { status: 'approved', user: typeof user === 'string' ? user : defaultUser(grant.instance) });
      return { status: 200, body: { ok: true } };
    }
    case 'POST /__emulator/sso/revoke': {
      const token = s.accessTokens.get(String(body().accessToken));
      if (!token) return { status: 404, body: { error: 'no such access token' } };
      token.revoked = true;
      return { status: 200, body: { ok: true } };
    }
    case 'POST /__emulator/sso/issue': {
      // A sign-in made "earlier": a registered client and its tokens, for tests that start from a token file.
      const b = body();
      const instance = findInstance(state.world, String(b.startUrl));
      if (!instance) return { status: 404, body: { error: `no instance ${String(b.startUrl)}` } };
      const scopes = Array.isArray(b.scopes) ? (b.scopes as string[]) : ['sso:account:access'];
      const now = state.now();
      const clientId = opaque('cid-', 12);
      const clientSecret = opaque('cs-', 48);
      const expiresMs = Math.floor(now / 1000) * 1000 + (instance.clientSecretSeconds ?? 90 * 86_400) * 1000;
      s.clients.set(clientId, { secret: clientSecret, expiresMs, scopes, grantTypes: [], redirectUris: [] });
      const user = typeof b.user === 'string' ? b.user : defaultUser(instance);
      const signIn = {
        instance,
        user,
        clientId,
        endsMs: now + (instance.sessionSeconds ?? 28_800) * 1000,
        loggedOut: false,
        refreshable: scopes.length > 0,
      };
      return {
        status: 200,
        body: { ...issueTokens(s, signIn, now), clientId, clientSecret, clientSecretExpiresAt: Math.floor(expiresMs / 1000) },
      };
    }
    default:
      return undefined;
  }
}
