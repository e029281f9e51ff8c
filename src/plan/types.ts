/**
 * A plan: the resolved chain of a profile, from the credential source to the selected profile.
 * Pure data, produced by resolve-plan.ts without touching AWS (docs/reference/aws-behaviour.md §2.3–2.4).
 */

import type { KeyringBackend } from '../domain/keyring-backend.js';

export type SourceKind = 'static' | 'keyring' | 'process' | 'sso' | 'webIdentity' | 'environment' | 'ec2InstanceMetadata' | 'ecsContainer';

export interface StaticSource {
  kind: 'static';
  profile: string;
  /** Which file the keys came from (matters for precedence, §2.3). */
  file: 'config' | 'credentials';
}

/**
 * Long-term keys kept in a keyring by `swrole keys add|import` (issue 12): the profile says where with
 * `swrole_keyring = <backend>`; its `credential_process` (which runs `swrole process`) is for the other AWS tools.
 */
export interface KeyringSource {
  kind: 'keyring';
  profile: string;
  backend: KeyringBackend;
}

export interface ProcessSource {
  kind: 'process';
  profile: string;
  command: string;
}

export interface SsoSource {
  kind: 'sso';
  profile: string;
  ssoSession: string | null;
  startUrl: string;
  ssoRegion: string;
  accountId: string;
  roleName: string;
}

export interface WebIdentitySource {
  kind: 'webIdentity';
  profile: string;
  roleArn: string;
  tokenFile: string;
  roleSessionName: string | null;
}

export interface NamedSource {
  kind: 'environment' | 'ec2InstanceMetadata' | 'ecsContainer';
  profile: string;
}

export type SourceStep = StaticSource | KeyringSource | ProcessSource | SsoSource | WebIdentitySource | NamedSource;

/**
 * How hard swrole tries to attach an agent's attribution (issue 9 §2): `auto` drops what STS refuses (trust
 * policies without sts:TagSession / sts:SetSourceIdentity), with a warning; `required` fails instead.
 */
export type AttributionMode = 'auto' | 'required';

/** What marks a session as an agent's in CloudTrail; added by an agent scope (credentials/agent-scope.ts). */
export interface AgentAttribution {
  sourceIdentity?: { value: string; mode: AttributionMode };
  tag?: { key: string; value: string; mode: AttributionMode };
}

export interface AssumeRoleStep {
  kind: 'assumeRole';
  profile: string;
  roleArn: string;
  mfaSerial: string | null;
  externalId: string | null;
  durationSeconds: number | null;
  roleSessionName: string | null;
  /** aws-vault compatible extras, read from the same profile. */
  mfaProcess: string | null;
  sourceIdentity: string | null;
  /** `session_tags = k=v,k2=v2`. */
  sessionTags: Readonly<Record<string, string>>;
  transitiveTagKeys: readonly string[];
  /** swrole's own keys: `swrole_session_policy_arns`, `swrole_session_policy_file`. */
  policyArns: readonly string[];
  policyFile: string | null;
  /**
   * An agent's SourceIdentity and `swrole:agent` tag, sent besides the profile's own `source_identity` and
   * `session_tags` (which are always sent) and dropped where the trust policy refuses them unless required.
   */
  agentAttribution?: AgentAttribution;
}

export type Step = SourceStep | AssumeRoleStep;

export interface Plan {
  profile: string;
  region: string | null;
  /** steps[0] is the source; the rest are AssumeRole hops, ending with the selected profile. */
  steps: readonly [SourceStep, ...AssumeRoleStep[]];
}
