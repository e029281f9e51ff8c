import { readFileSync } from 'node:fs';
import { cacheKey } from '../cache/cache-key.js';
import { fastHash } from '../platform/fast-hash.js';
import type { AwsConfig } from '../config/types.js';
import type { Plan, SourceStep } from '../plan/types.js';
import type { StsEndpoint } from '../sts/gateway.js';
import type { HopPlan } from './plan-strategy.js';
import { staticKeys } from './plan-strategy.js';
import type { SourceSessionPlan } from './plan-source-session.js';

/**
 * Cache keys, computed without any AWS call (they run on the hot path). A key holds everything that
 * changes the credentials (DESIGN.md Sessions and the cache): role ARN, the identity that calls it (source
 * profile chain and its access key id — not secret, and a rotated key must not reuse old sessions), external
 * ID, session policy, source identity, tags, duration class, STS endpoint.
 */

/** Who the source is: kind, profile, and what identifies its credentials. */
export function describeSource(config: AwsConfig, source: SourceStep): Record<string, unknown> {
  switch (source.kind) {
    case 'static':
      return { kind: 'static', profile: source.profile, accessKeyId: staticKeys(config, source).accessKeyId ?? null };
    case 'keyring':
      // Not the key id: reading it would touch the keyring on the hit path. `swrole keys add|import|rotate|remove`
      // clear the sessions made from a profile's previous key instead (credentials/forget-sessions.ts).
      return { kind: 'keyring', profile: source.profile, backend: source.backend };
    case 'process':
      return { kind: 'process', command: source.command };
    case 'webIdentity':
      return { kind: 'webIdentity', roleArn: source.roleArn, tokenFile: source.tokenFile };
    case 'sso':
      return {
        kind: 'sso',
        ssoSession: source.ssoSession,
        startUrl: source.startUrl,
        ssoRegion: source.ssoRegion,
        accountId: source.accountId,
        roleName: source.roleName,
      };
    default:
      return { kind: source.kind, profile: source.profile };
  }
}

/**
 * The MFA session belongs to the IAM user, not to a profile name: two source profiles with the same keys and the
 * same mfa_serial share one (issue 13). An MFA code is good once, so a second session would cost the user a
 * 30-second wait for the next code; GetSessionToken's result depends on nothing else but the endpoint.
 */
export function mfaSessionKey(config: AwsConfig, source: SourceStep, serial: string, endpoint: StsEndpoint): string {
  const described = describeSource(config, source);
  const who =
    source.kind === 'static' && described.accessKeyId !== null ? { kind: 'static', accessKeyId: described.accessKeyId } : described;
  return cacheKey({ type: 'mfaSession', source: who, serial, endpoint: endpoint.url });
}

/** Key of a source that is worth caching (credential_process with an expiry, web identity). */
export function sourceKey(config: AwsConfig, source: SourceStep, endpoint: StsEndpoint): string {
  return cacheKey({ type: 'source', source: describeSource(config, source), endpoint: endpoint.url });
}

/** The session policy's content, not just its path: an edited policy must never be served an old session. */
function policyDigest(file: string | null): string | null {
  if (file === null || file === '') return null;
  try {
    return fastHash(readFileSync(file, 'utf8'));
  } catch {
    return 'unreadable'; // obtaining credentials reports the file; a key is still needed to get there
  }
}

/** Keys of every hop, in order; hop i's caller is hop i-1 (its key), hop 0's caller is the source. */
export function roleKeys(config: AwsConfig, plan: Plan, hops: readonly HopPlan[], endpoint: StsEndpoint): string[] {
  const keys: string[] = [];
  let caller: unknown = describeSource(config, plan.steps[0]);
  for (const hop of hops) {
    const s = hop.step;
    const key = cacheKey({
      type: 'role',
      roleArn: s.roleArn,
      caller,
      mfa: hop.mfa === 'none' ? null : { via: hop.mfa, serial: s.mfaSerial },
      externalId: s.externalId,
      roleSessionName: s.roleSessionName,
      sourceIdentity: s.sourceIdentity,
      tags: s.sessionTags,
      // Includes each part's mode: a session obtained without a refused tag in `auto` never answers `required`.
      attribution: s.agentAttribution,
      transitive: s.transitiveTagKeys,
      policyArns: s.policyArns,
      policyFile: s.policyFile,
      policy: policyDigest(s.policyFile),
      duration: hop.requestedSeconds,
      endpoint: endpoint.url,
    });
    keys.push(key);
    caller = { role: key };
  }
  return keys;
}

/** Key of the session a plan without a role hands out (plan-source-session.ts); undefined when nothing is cached. */
export function sourceSessionKey(
  config: AwsConfig,
  source: SourceStep,
  session: SourceSessionPlan,
  endpoint: StsEndpoint,
): string | undefined {
  switch (session.kind) {
    case 'asIs':
      // IAM Identity Center role credentials are cached (GetRoleCredentials is a call, the answer lasts an hour);
      // other sources handed out as they are have nothing to cache.
      return source.kind === 'sso' && session.why === 'temporary' ? sourceKey(config, source, endpoint) : undefined;
    case 'mfaSession':
      // The same key as the MFA session roles use: `swrole login` and every role behind this user share it.
      return mfaSessionKey(config, source, session.serial, endpoint);
    case 'sessionToken':
      return cacheKey({
        type: 'sessionToken',
        source: describeSource(config, source),
        duration: session.durationSeconds,
        endpoint: endpoint.url,
      });
    case 'federation': {
      const r = session.request;
      return cacheKey({
        type: 'federation',
        source: describeSource(config, source),
        name: r.name,
        duration: r.durationSeconds,
        policyArns: r.policyArns,
        policyFile: r.policyFile,
        policy: policyDigest(r.policyFile),
        tag: r.tag,
        endpoint: endpoint.url,
      });
    }
  }
}
