import type { Deps } from '../../platform/deps.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { resolvePlan } from '../../plan/resolve-plan.js';
import { usageError } from '../../errors.js';
import type { AgentScope } from '../../credentials/agent-scope.js';
import { renderAgentView } from './render-agent-view.js';
import { writeAgentView, type AgentViewMeta, type AgentViewPaths } from './agent-view-store.js';

export interface ViewRequest {
  command: string;
  agent: string;
  mode: AgentViewMeta['mode'];
  project: string | null;
  profiles: string[];
  defaultProfile: string | undefined;
  scope: AgentScope;
  durationSeconds: number | undefined;
  bedrockProfile?: string | undefined;
  /** `agent claude --contain`: the credential_process of the profile at index i. */
  contained?: ((index: number) => string) | undefined;
}

/** The user's real files and the grant, checked: every profile exists and resolves (no AWS call). */
export function resolveViewGrant(deps: Deps, request: ViewRequest) {
  const config = loadAwsConfig(deps);
  // resolvePlan starts with findProfile: a missing profile is reported as such.
  for (const name of request.profiles) resolvePlan(config, name, { env: deps.env });
  const defaultProfile = request.defaultProfile ?? request.profiles[0]!;
  if (!request.profiles.includes(defaultProfile))
    throw usageError(request.command, `--default "${defaultProfile}" is not one of the granted profiles`);
  return { config, defaultProfile, source: { configFile: config.configFile, credentialsFile: config.credentialsFile } };
}

export interface PreparedView {
  text: string;
  meta: AgentViewMeta;
  grant: ReturnType<typeof resolveViewGrant>;
}

/** Checks the grant and renders the view (config text and view.json), writing nothing. */
export function prepareAgentView(deps: Deps, request: ViewRequest): PreparedView {
  const grant = resolveViewGrant(deps, request);
  const text = renderAgentView(grant.config, request.profiles, grant.source, {
    nodePath: deps.nodePath,
    selfPath: deps.selfPath,
    scope: request.scope,
    durationSeconds: request.durationSeconds,
    contained: request.contained,
  });
  const meta: AgentViewMeta = {
    version: 1,
    agent: request.agent,
    mode: request.mode,
    project: request.project,
    profiles: request.profiles,
    defaultProfile: grant.defaultProfile,
    source: grant.source,
    scope: request.scope,
    durationSeconds: request.durationSeconds ?? null,
    createdAt: new Date(deps.now()).toISOString(),
    ...(request.bedrockProfile !== undefined ? { bedrockProfile: request.bedrockProfile } : {}),
    ...(request.contained !== undefined ? { contained: true } : {}),
  };
  return { text, meta, grant };
}

/** Renders and writes the view; returns what was stored in view.json. */
export function buildAgentView(
  deps: Deps,
  request: ViewRequest,
  paths: (grant: ReturnType<typeof resolveViewGrant>) => AgentViewPaths,
  warn?: (message: string) => void,
): { meta: AgentViewMeta; paths: AgentViewPaths } {
  const view = prepareAgentView(deps, request);
  const where = paths(view.grant);
  writeAgentView(where, view.text, view.meta, deps, warn);
  return { meta: view.meta, paths: where };
}
