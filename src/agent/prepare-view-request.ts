import type { Deps } from '../platform/deps.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { resolvePlan } from '../plan/resolve-plan.js';
import { openSessionStore, resolvePlanEndpoint, type PreparedRequest } from '../credentials/prepare-request.js';
import { applyAgentScope } from './agent-scope.js';
import type { AgentViewMeta } from './agent-view-store.js';

/**
 * The request a view's credential_process makes for `profile`, built from view.json: the user's real files
 * (not the agent's empty credentials file) and the view's scope. Used where swrole runs inside the agent's
 * environment but must find the same cache entry as `swrole process` (statusline).
 */
export function prepareViewRequest(deps: Deps, meta: AgentViewMeta, profile: string, warn: (m: string) => void): PreparedRequest {
  const config = loadAwsConfig(deps, { configFile: meta.source.configFile, credentialsFile: meta.source.credentialsFile });
  const plan = applyAgentScope(config, resolvePlan(config, profile, { env: deps.env }), meta.scope, deps.env);
  return { config, plan, endpoint: resolvePlanEndpoint(config, plan, deps.env), ...openSessionStore(deps, warn) };
}
