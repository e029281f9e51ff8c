/**
 * Every account and role a sign-in can use (issue 11 "Profiles at scale"; docs/reference/sso-keyring-console.md A.10):
 * ListAccounts, then ListAccountRoles for each account, every page, paced below the portal's rate (about 10 rps a
 * token for real organisations, granted#458/#811) and 429s retried with backoff and jitter, so 1,000 accounts list in
 * minutes without an error. The token comes from the cache (refreshed if due), never from a prompt.
 */
import type { AwsConfig } from '../config/types.js';
import type { SsoSource } from '../plan/types.js';
import type { Deps } from '../platform/deps.js';
import { SwroleError } from '../errors.js';
import { withRetry } from '../sts/with-retry.js';
import { sessionTarget } from '../sso/sso-target.js';
import { obtainAccessToken } from '../sso/access-token.js';
import { ssoErrors } from '../sso/sso-errors.js';
import { describeSsoFailure, type Page } from '../sso/sso-gateway.js';
import type { SsoRuntime } from '../sso/sso-runtime.js';
import { createSsoRuntime } from './sso-credentials.js';

export interface SsoAssignment {
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface ListingInput {
  deps: Deps;
  config: AwsConfig;
  /** The profile whose endpoints apply ('' for none). */
  selected: string;
  /** What follows `swrole login` in hints. */
  login: string;
  stateDir: string;
  source: Pick<SsoSource, 'profile' | 'ssoSession' | 'startUrl' | 'ssoRegion'>;
  debug: (message: string) => void;
  /** Calls per second (default 8). */
  rate?: number;
}

/** The source of an `[sso-session NAME]` by itself (`--session`), or E_SSO_CONFIG in botocore's words. */
export function sessionSource(config: AwsConfig, name: string): ListingInput['source'] {
  const target = sessionTarget(config, name);
  if ('error' in target)
    throw new SwroleError('E_SSO_CONFIG', `[sso-session ${name}]: ${target.error.trim()}`, {
      hint: `add [sso-session ${name}] with sso_start_url and sso_region to ${config.configFile}`,
    });
  return { profile: `sso-session ${name}`, ssoSession: name, startUrl: target.startUrl, ssoRegion: target.region };
}

/** At most `rate` calls a second, evenly spaced. */
function pacer(rate: number): () => Promise<void> {
  const gapMs = 1000 / rate;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gapMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

/** Bounded: a throttled page is tried 6 times over up to a minute, then E_SSO_THROTTLED. */
const LIST_RETRY = { attempts: 6, baseDelayMs: 500, budgetMs: 60_000 };

export async function listAssignments(input: ListingInput): Promise<{ assignments: SsoAssignment[]; calls: number }> {
  const rt: SsoRuntime = createSsoRuntime(
    {
      deps: input.deps,
      config: input.config,
      selected: input.selected,
      stateDir: input.stateDir,
      notice: () => {},
      debug: input.debug,
      interactive: () => false,
      login: input.login,
    },
    input.source,
  );
  const token = await obtainAccessToken(rt);
  const gateway = await rt.gateway();
  const pace = pacer(input.rate ?? 8);
  let calls = 0;
  const call = async <T>(operation: string, fetchPage: (signal: AbortSignal) => Promise<Page<T>>): Promise<Page<T>> => {
    try {
      return await withRetry(async (signal) => {
        await pace();
        calls++;
        return fetchPage(signal);
      }, LIST_RETRY);
    } catch (error) {
      const failure = describeSsoFailure(error);
      if (failure.status === 401 || failure.name === 'UnauthorizedException') throw ssoErrors.sessionExpired(rt.profile, rt.login, error);
      if (failure.status === 429 || failure.name === 'TooManyRequestsException')
        throw ssoErrors.throttled(rt.profile, operation, LIST_RETRY.attempts, error);
      throw ssoErrors.failed(rt.profile, operation, rt.endpoints.portal, failure, error);
    }
  };
  const accounts: { accountId: string; accountName: string }[] = [];
  let next: string | undefined;
  do {
    const page = await call('ListAccounts', (signal) =>
      gateway.listAccounts({ accessToken: token.accessToken, nextToken: next, maxResults: 100 }, { signal }),
    );
    for (const a of page.items) accounts.push({ accountId: a.accountId, accountName: a.accountName ?? a.accountId });
    next = page.nextToken;
  } while (next);
  input.debug(`sso: ${accounts.length} account(s); listing their roles`);
  const assignments: SsoAssignment[] = [];
  for (const account of accounts.sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    let roleNext: string | undefined;
    const roles: string[] = [];
    do {
      const page = await call('ListAccountRoles', (signal) =>
        gateway.listAccountRoles(
          { accessToken: token.accessToken, accountId: account.accountId, nextToken: roleNext, maxResults: 100 },
          { signal },
        ),
      );
      roles.push(...page.items);
      roleNext = page.nextToken;
    } while (roleNext);
    for (const roleName of roles.sort()) assignments.push({ ...account, roleName });
  }
  return { assignments, calls };
}
