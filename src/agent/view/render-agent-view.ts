import type { AwsConfig, ConfigValue } from '../../config/types.js';
import { stringValue } from '../../config/types.js';
import { renderCredentialProcessCommand, renderProfileHeader } from '../../integrations/credential-process-command.js';
import type { AgentScope } from '../../credentials/agent-scope.js';
import { findProfile } from '../../config/resolve-selection.js';

/**
 * Keys that would make the agent's own AWS tools obtain credentials themselves (or hand them long-term keys):
 * the view keeps only what describes *where* to call (region, endpoints, retries, output), never *who*.
 */
const CREDENTIAL_KEYS = new Set([
  'role_arn',
  'source_profile',
  'credential_source',
  'mfa_serial',
  'mfa_process',
  'external_id',
  'role_session_name',
  'duration_seconds',
  'credential_process',
  'web_identity_token_file',
  'source_identity',
  'session_tags',
  'transitive_session_tags',
  'sso_session',
  'services',
]);
const isCredentialKey = (key: string) =>
  CREDENTIAL_KEYS.has(key) || key.startsWith('aws_') || key.startsWith('sso_') || key.startsWith('swrole_');

/**
 * A granted profile's view-only name, the one AWS_PROFILE and AWS_DEFAULT_PROFILE carry: a name the user's own
 * config does not have, so a process that loses AWS_CONFIG_FILE (Claude Code's CLAUDE_CODE_SUBPROCESS_ENV_SCRUB
 * keeps AWS_PROFILE but drops it) fails closed instead of resolving the profile, unscoped, in ~/.aws/config.
 * The view also holds each profile under its own name, for the `--profile NAME` of a project's scripts.
 */
export function viewProfileName(profile: string): string {
  return `${profile}@agent`;
}

/** The granted profile a view name stands for (the name itself when it is not one). */
export function grantedProfileOf(viewName: string, granted: readonly string[]): string | undefined {
  return granted.find((profile) => profile === viewName || viewProfileName(profile) === viewName);
}

export interface ViewSource {
  /** The user's real files, read by `swrole process` inside the agent (the view's own credentials file is empty). */
  configFile: string;
  credentialsFile: string;
}

export interface ViewOptions {
  nodePath: string;
  selfPath: string;
  scope: AgentScope;
  durationSeconds?: number | undefined;
  /** `agent claude --contain`: the credential_process of the profile at index i (the hooks keep its session fresh). */
  contained?: ((index: number) => string) | undefined;
}

/** The argv after `swrole` that the view's credential_process runs for `profile`. */
export function renderProcessArgs(profile: string, source: ViewSource, options: ViewOptions): string[] {
  const args = ['process', profile, '--source-config', source.configFile, '--source-credentials', source.credentialsFile];
  if (options.scope.readOnly) args.push('--read-only');
  if (options.scope.policyFile !== undefined) args.push('--policy', options.scope.policyFile);
  if (options.durationSeconds !== undefined) args.push('--duration', String(options.durationSeconds));
  if (options.scope.agent !== undefined) args.push('--agent', options.scope.agent);
  return args;
}

function renderValue(key: string, value: ConfigValue): string[] {
  if (typeof value === 'string') return [`${key} = ${value}`];
  return [`${key} =`, ...Object.entries(value).map(([k, v]) => `  ${k} = ${v}`)];
}

/**
 * PURE: the agent's AWS config: one section per granted profile, its credentials coming only from
 * `swrole process` (absolute paths, quoted for botocore's shlex and /bin/sh alike), plus the profile's
 * non-credential settings and the `[services x]` section it names, so the agent's tools reach the same endpoints.
 */
export function renderAgentView(config: AwsConfig, profiles: readonly string[], source: ViewSource, options: ViewOptions): string {
  const out: string[] = ['# Written by swrole (swrole agent): the profiles granted to an agent. Do not edit; re-run swrole instead.', ''];
  const services = new Set<string>();
  profiles.forEach((name, index) => {
    const profile = findProfile(config, name);
    const process =
      options.contained?.(index) ??
      renderCredentialProcessCommand(options.nodePath, options.selfPath, renderProcessArgs(name, source, options));
    const body = [`credential_process = ${process}`];
    for (const [key, value] of Object.entries(profile.values)) {
      if (isCredentialKey(key)) continue;
      body.push(...renderValue(key, value));
    }
    const servicesName = stringValue(profile.values, 'services');
    if (servicesName !== undefined && config.services.has(servicesName)) {
      body.push(`services = ${servicesName}`);
      services.add(servicesName);
    }
    for (const header of [viewProfileName(name), name]) out.push(`[${renderProfileHeader(header)}]`, ...body, '');
  });
  for (const name of services) {
    out.push(`[services ${name}]`);
    for (const [key, value] of Object.entries(config.services.get(name)!.values)) out.push(...renderValue(key, value));
    out.push('');
  }
  return out.join('\n');
}
