import { SwroleError } from '../errors.js';
import type { AwsConfig } from '../config/types.js';
import { stringValue } from '../config/types.js';
import type { AgentAttribution, Plan, SourceStep } from '../plan/types.js';
import { parseCommaList } from '../plan/profile-keys.js';
import { isLongTermSource } from './plan-strategy.js';
import {
  AGENT_TAG_KEY,
  READ_ONLY_POLICY_ARN,
  readAttributionSettings,
  sanitizeTagValue,
  type AgentScope,
  type AttributionSettings,
} from './agent-scope.js';

/**
 * What a plan without a role hands out (issue 9 §1, issue 10 "Static keys stay at home"). Long-term keys never
 * leave swrole as they are: they become a temporary session, cached like a role session.
 * - `mfaSession`: the profile has `mfa_serial`: its MFA session (GetSessionToken with MFA, the one `swrole login`
 *   starts and every role behind the same user shares).
 * - `sessionToken`: a plain GetSessionToken session (no MFA), as aws-vault hands children.
 * - `federation`: a session policy must apply (--read-only, --policy, swrole_session_policy_*): GetFederationToken
 *   with it, since GetSessionToken takes no policy.
 * - `asIs`: the source's credentials as they are: temporary already, or `--no-session`.
 * `ifLongTerm`: the source is a credential_process, whose keys are known only once it ran: the session is made
 * only if they turn out to be long-term (an `AKIA…` key without a token); temporary ones are handed out as they are.
 */
export type SourceSessionPlan =
  | { kind: 'asIs'; why: 'temporary' | 'noSession' }
  | { kind: 'mfaSession'; serial: string; mfaProcess: string | null }
  | { kind: 'sessionToken'; durationSeconds: number; ifLongTerm: boolean }
  | { kind: 'federation'; ifLongTerm: boolean; request: FederationRequest };

export interface FederationRequest {
  /** The federated user: `swrole-<user>[-<agent>]`, 2–32 characters of [\w+=,.@-]. */
  name: string;
  durationSeconds: number;
  policyArns: readonly string[];
  policyFile: string | null;
  /** The agent's `swrole:agent` tag (GetFederationToken takes tags, not a SourceIdentity). */
  tag?: AgentAttribution['tag'];
  /** The profile's mfa_serial: a federated session carries no MFA, so its user is warned. */
  mfaSerial: string | null;
}

/**
 * A plain GetSessionToken session lasts 1 h, aws-vault's default for the same job: it only stands in for the
 * long-term key (no prompt to repeat), so renewing it hourly costs one STS call, while a leaked copy (a child's
 * environment, a core dump, an agent's transcript) is dead within the hour. `--duration` changes it.
 */
export const PLAIN_SESSION_SECONDS = 3600;
/** A GetFederationToken session (a scope on long-term keys) lasts 1 h like a role session; `--duration` up to 36 h. */
export const FEDERATION_SESSION_SECONDS = 3600;

/** GetFederationToken Name: 2–32 characters of [\w+=,.@-]. */
export function renderFederationName(user: string, agent: string | undefined): string {
  const text = `swrole-${user}${agent === undefined ? '' : `-${agent}`}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
  return text.length < 2 ? `${text}--`.slice(0, 2) : text;
}

function scopeUnsupported(profile: string, what: string, why: string, hint: string): SwroleError {
  return new SwroleError('E_SCOPE_UNSUPPORTED', `profile "${profile}": ${what} cannot be applied: ${why}`, { hint });
}

function describeTemporarySource(source: SourceStep): string {
  switch (source.kind) {
    case 'static':
      return 'its keys are temporary (aws_session_token is set), and only long-term keys can make a scoped session';
    case 'webIdentity':
      return 'its credentials are a web identity role session, handed out as STS returns them';
    case 'sso':
      return 'its credentials come from IAM Identity Center';
    default:
      return `its credentials come from ${source.kind}`;
  }
}

function requiredAttribution(settings: AttributionSettings | undefined, parts: Array<'tags' | 'sourceIdentity'>): string | undefined {
  if (settings === undefined) return undefined;
  if (parts.includes('tags') && settings.tags === 'required') return 'swrole_agent_tags = required';
  if (parts.includes('sourceIdentity') && settings.sourceIdentity === 'required') return 'swrole_source_identity = required';
  return undefined;
}

export interface SourceSessionRequest {
  /** `--duration`: the length of a plain or federated session (an MFA session keeps its own). */
  durationSeconds?: number | undefined;
  /** `--no-session`: hand out long-term keys as they are (the commands refuse it together with a scope). */
  noSession?: boolean | undefined;
}

/**
 * PURE: the session a plan without a role hands out, or E_SCOPE_UNSUPPORTED when the requested scope (a session
 * policy, or attribution configured as required) cannot be applied to its source: a scope is applied or the
 * request fails, never dropped (DESIGN.md Agents).
 */
export function planSourceSession(
  config: AwsConfig,
  plan: Plan,
  scope: AgentScope | undefined,
  request: SourceSessionRequest,
  userName: string,
): SourceSessionPlan {
  const source = plan.steps[0];
  const values = config.profiles.get(source.profile)?.values ?? {};
  const policyArns = [...parseCommaList(stringValue(values, 'swrole_session_policy_arns') ?? null)];
  if (scope?.readOnly && !policyArns.includes(READ_ONLY_POLICY_ARN)) policyArns.push(READ_ONLY_POLICY_ARN);
  const policyFile = scope?.policyFile ?? stringValue(values, 'swrole_session_policy_file') ?? null;
  const policy = policyArns.length > 0 || policyFile !== null;
  const what = scope?.readOnly
    ? '--read-only'
    : scope?.policyFile !== undefined
      ? '--policy'
      : 'the session policy (swrole_session_policy_*)';
  const agent = scope?.agent;
  const settings = agent === undefined ? undefined : readAttributionSettings(values, source.profile);
  const longTerm = isLongTermSource(config, source);

  if (request.noSession) return { kind: 'asIs', why: 'noSession' };
  if (!longTerm && source.kind !== 'process') {
    const hint = `grant a profile that assumes a role from it (role_arn + source_profile = ${source.profile}): the scope then goes into AssumeRole`;
    if (policy) throw scopeUnsupported(source.profile, what, describeTemporarySource(source), hint);
    const required = requiredAttribution(settings, ['tags', 'sourceIdentity']);
    if (required) throw scopeUnsupported(source.profile, required, describeTemporarySource(source), hint);
    return { kind: 'asIs', why: 'temporary' };
  }
  const mfaSerial = stringValue(values, 'mfa_serial') || null;
  if (policy) {
    // GetFederationToken takes tags but no SourceIdentity (STS API reference).
    if (settings?.sourceIdentity === 'required')
      throw scopeUnsupported(
        source.profile,
        'swrole_source_identity = required',
        'a scoped session of long-term keys is a GetFederationToken session, which cannot carry a SourceIdentity',
        `grant a role profile (role_arn + source_profile = ${source.profile}), or set swrole_source_identity = auto`,
      );
    const tag =
      agent !== undefined && settings !== undefined && settings.tags !== 'off'
        ? { key: AGENT_TAG_KEY, value: sanitizeTagValue(agent), mode: settings.tags }
        : undefined;
    return {
      kind: 'federation',
      ifLongTerm: !longTerm,
      request: {
        name: renderFederationName(userName, agent),
        durationSeconds: request.durationSeconds ?? FEDERATION_SESSION_SECONDS,
        policyArns,
        policyFile,
        ...(tag ? { tag } : {}),
        mfaSerial,
      },
    };
  }
  const required = requiredAttribution(settings, ['tags', 'sourceIdentity']);
  if (required)
    throw scopeUnsupported(
      source.profile,
      required,
      'a session of long-term keys without a session policy is a GetSessionToken session, which carries neither tags nor a SourceIdentity',
      `grant a role profile (role_arn + source_profile = ${source.profile}), or add --read-only / --policy (GetFederationToken takes tags)`,
    );
  // botocore ignores mfa_serial outside AssumeRole; for a credential_process source swrole does too (the helper
  // does its own MFA); for long-term keys it is the MFA session's device.
  if (longTerm && mfaSerial !== null)
    return { kind: 'mfaSession', serial: mfaSerial, mfaProcess: stringValue(values, 'mfa_process') ?? null };
  return { kind: 'sessionToken', durationSeconds: request.durationSeconds ?? PLAIN_SESSION_SECONDS, ifLongTerm: !longTerm };
}
