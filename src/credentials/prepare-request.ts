/**
 * The hot path's first half: argv-level options → config → plan → STS endpoint → session store.
 * Only light modules here (node:fs, config parsing, the cache's synchronous read): no @aws-sdk,
 * no lock library (DESIGN.md Performance budgets).
 */
import type { AwsConfig } from '../config/types.js';
import { stringValue } from '../config/types.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { resolveProfileName } from '../config/resolve-selection.js';
import { resolvePlan } from '../plan/resolve-plan.js';
import type { Plan } from '../plan/types.js';
import type { SessionStore } from '../cache/session-store.js';
import { openSessionStore } from '../cache/open-session-store.js';
import type { Deps } from '../platform/deps.js';
import type { StsEndpoint } from '../sts/gateway.js';
import { resolveStsEndpoint } from '../sts/resolve-sts-endpoint.js';
import { applyAgentScope, resolveUserName, type AgentScope } from './agent-scope.js';

export interface PrepareOptions {
  /** Positional PROFILE or --profile; else AWS_PROFILE / default. */
  profile?: string | undefined;
  region?: string | undefined;
  /** `--source-config FILE`: read this AWS config instead of AWS_CONFIG_FILE (the agent view). */
  sourceConfig?: string | undefined;
  /** `--source-credentials FILE`: the user's real credentials file, when AWS_SHARED_CREDENTIALS_FILE is an agent view's empty one. */
  sourceCredentials?: string | undefined;
  /** Agent session restrictions (--read-only, --policy, --agent), applied to the final role hop and so to its cache key. */
  scope?: AgentScope | undefined;
}

export interface PreparedRequest {
  config: AwsConfig;
  plan: Plan;
  endpoint: StsEndpoint;
  store: SessionStore;
  /** The credential cache root (sessions/, memo/); the state dir (audit log) is opened where it is written. */
  cacheDir: string;
  /** The request's scope (a plan without a role applies it to its source's session: plan-source-session.ts). */
  scope: AgentScope | undefined;
  /** The OS user, for SourceIdentity and session names. */
  userName: string;
}

/** The STS endpoint for a plan, from the selected profile's keys and its `[services x]` section. */
export function resolvePlanEndpoint(config: AwsConfig, plan: Pick<Plan, 'profile' | 'region'>, env: Deps['env']): StsEndpoint {
  const values = config.profiles.get(plan.profile)?.values ?? {};
  const servicesName = stringValue(values, 'services');
  const stsSection = servicesName ? config.services.get(servicesName)?.values.sts : undefined;
  return resolveStsEndpoint({
    env,
    profile: plan.profile,
    region: plan.region,
    profileEndpointUrl: stringValue(values, 'endpoint_url'),
    profileStsRegionalEndpoints: stringValue(values, 'sts_regional_endpoints'),
    profileIgnoreConfiguredEndpointUrls: stringValue(values, 'ignore_configured_endpoint_urls'),
    servicesStsEndpointUrl: typeof stsSection === 'object' ? stsSection.endpoint_url : undefined,
  });
}

/** The config and the (scoped) plan of the selected profile: no endpoint, no store (logout needs no more). */
export function preparePlan(deps: Deps, options: PrepareOptions): { config: AwsConfig; plan: Plan } {
  const config = loadAwsConfig(deps, {
    ...(options.sourceConfig ? { configFile: options.sourceConfig } : {}),
    ...(options.sourceCredentials ? { credentialsFile: options.sourceCredentials } : {}),
  });
  const profileName = resolveProfileName(deps.env, options.profile);
  const resolved = resolvePlan(config, profileName, { region: options.region ?? null, env: deps.env });
  return { config, plan: options.scope ? applyAgentScope(config, resolved, options.scope, deps.env, deps.osUserName) : resolved };
}

export function prepareRequest(deps: Deps, options: PrepareOptions, warn: (message: string) => void): PreparedRequest {
  const { config, plan } = preparePlan(deps, options);
  const endpoint = resolvePlanEndpoint(config, plan, deps.env);
  return {
    config,
    plan,
    endpoint,
    ...openSessionStore(deps, warn),
    scope: options.scope,
    userName: resolveUserName(deps.env, deps.osUserName),
  };
}
