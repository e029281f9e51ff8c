import { SwroleError } from '../errors.js';
import type { AwsConfig, ConfigValue } from '../config/types.js';
import { stringValue } from '../config/types.js';
import type { AgentAttribution, AssumeRoleStep, Plan } from '../plan/types.js';
import { parseModeSetting, type ModeSetting } from '../config/setting-text.js';

/**
 * The restrictions an agent session carries (issue 5, docs/reference/agents.md §0 (finding 7) and §5): a session policy
 * (the managed ReadOnlyAccess ARN and/or an inline policy file), SourceIdentity and an `swrole:agent` tag so
 * CloudTrail shows which calls came from the agent, and a recognisable role session name.
 */
export interface AgentScope {
  readOnly: boolean;
  /** Absolute path of an inline session policy (validated by parseSessionPolicy). */
  policyFile?: string | undefined;
  /** The agent's name (`claude`, `codex`, ...): makes this an agent session. */
  agent?: string | undefined;
}

/** AWS managed policy; as a session policy it caps the role at read-only (IAM "Session policies"). */
export const READ_ONLY_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

export const AGENT_TAG_KEY = 'swrole:agent';

/** STS SourceIdentity: 2–64 chars of [\w+=,.@-] (AssumeRole API reference). */
export function sanitizeSourceIdentity(text: string): string {
  let out = text.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  if (out.length < 2) out = `${out}--`.slice(0, 2);
  return out;
}

/** RoleSessionName: 2–64 chars of [\w+=,.@-]. */
export function renderAgentSessionName(user: string, agent: string): string {
  return sanitizeSourceIdentity(`swrole-${user}-${agent}`);
}

/** Session tag values: letters, digits, spaces and _.:/=+-@, up to 256 chars (IAM tag rules). */
export function sanitizeTagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+@-]/gu, '-').slice(0, 256) || '-';
}

/**
 * The OS user: as the environment names it (USER/LOGNAME on POSIX, USERNAME on Windows), else the account's name
 * (Deps.osUserName, os.userInfo): containers often set neither variable, and every agent session there would
 * otherwise be attributed to "unknown" (issue 13).
 */
export function resolveUserName(env: Readonly<Record<string, string | undefined>>, osUserName?: string): string {
  return env.USER || env.LOGNAME || env.USERNAME || osUserName || 'unknown';
}

export function isScoped(scope: AgentScope): boolean {
  return scope.readOnly || scope.policyFile !== undefined || scope.agent !== undefined;
}

/** The two attribution switches of a profile (`off|auto|required`, default auto; issue 9 §2). */
export interface AttributionSettings {
  sourceIdentity: ModeSetting;
  /** A legacy `swrole_source_identity = <name>` (before the modes): that name is the SourceIdentity, mode auto. */
  sourceIdentityValue?: string;
  tags: ModeSetting;
}

/** `swrole_source_identity` and `swrole_agent_tags` of `profile`, checked (a typo is an error, not a silent mode). */
export function readAttributionSettings(values: Readonly<Record<string, ConfigValue>>, profile: string): AttributionSettings {
  const rawTags = stringValue(values, 'swrole_agent_tags');
  const tags = parseModeSetting(rawTags);
  if (tags === null) {
    throw new SwroleError('E_SETTING_VALUE', `profile "${profile}": swrole_agent_tags = ${rawTags}: expected off, auto or required`, {
      hint: 'auto (the default) sends the swrole:agent tag where the trust policy allows it; off never; required or fail',
    });
  }
  const rawIdentity = stringValue(values, 'swrole_source_identity');
  const identity = parseModeSetting(rawIdentity);
  const settings: AttributionSettings = { sourceIdentity: identity ?? 'auto', tags: tags ?? 'auto' };
  // Before the modes, swrole_source_identity held the SourceIdentity itself; such a value keeps working.
  if (identity === null && rawIdentity !== undefined) settings.sourceIdentityValue = rawIdentity.trim();
  return settings;
}

/**
 * PURE: the attribution of an agent's session. SourceIdentity is the OS user (or a legacy value) unless the
 * profile sets `source_identity` itself (`fixedSourceIdentity`: always sent, not an agent's); the tag is
 * `swrole:agent=<agent>`. Parts switched off are absent.
 */
export function agentAttribution(
  settings: AttributionSettings,
  agent: string,
  user: string,
  fixedSourceIdentity: string | null,
): AgentAttribution {
  const out: AgentAttribution = {};
  if (fixedSourceIdentity === null && settings.sourceIdentity !== 'off')
    out.sourceIdentity = { value: sanitizeSourceIdentity(settings.sourceIdentityValue ?? user), mode: settings.sourceIdentity };
  if (settings.tags !== 'off') out.tag = { key: AGENT_TAG_KEY, value: sanitizeTagValue(agent), mode: settings.tags };
  return out;
}

/**
 * PURE: the plan with the scope applied to its final AssumeRole hop (the session the caller receives). Because
 * the cache key is computed from the step (plan-cache-keys.ts), a scoped session never shares a cache entry
 * with an unscoped one. A plan without a role is returned unchanged: its scope applies to the session made from
 * its source (plan-source-session.ts), or the request fails there.
 */
export function applyAgentScope(
  config: AwsConfig,
  plan: Plan,
  scope: AgentScope,
  env: Readonly<Record<string, string | undefined>>,
  osUserName?: string,
): Plan {
  if (!isScoped(scope) || plan.steps.length < 2) return plan;
  const steps = [...plan.steps] as [Plan['steps'][0], ...AssumeRoleStep[]];
  const last = steps[steps.length - 1] as AssumeRoleStep;
  const values = config.profiles.get(last.profile)?.values ?? {};
  const next: AssumeRoleStep = { ...last };
  if (scope.readOnly && !next.policyArns.includes(READ_ONLY_POLICY_ARN)) next.policyArns = [...next.policyArns, READ_ONLY_POLICY_ARN];
  if (scope.policyFile !== undefined) next.policyFile = scope.policyFile;
  if (scope.agent !== undefined) {
    const user = resolveUserName(env, osUserName);
    next.agentAttribution = agentAttribution(readAttributionSettings(values, last.profile), scope.agent, user, last.sourceIdentity);
    next.roleSessionName = last.roleSessionName ?? renderAgentSessionName(user, scope.agent);
  }
  steps[steps.length - 1] = next;
  return { ...plan, steps };
}
