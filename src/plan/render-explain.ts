import type { AwsConfig, Profile } from '../config/types.js';
import type { Plan, SourceKind, Step } from './types.js';

/**
 * The stable contract of `swrole explain --json` (the credential engine and many tests rely on it):
 * `{"profile", "region", "steps"}`, steps from the credential source to the selected profile. No other fields.
 */
export interface ExplainSourceJson {
  profile: string;
  kind: SourceKind;
  /** Only for kind "webIdentity". */
  roleArn?: string;
  /** Only for kind "sso": what botocore's SSOCredentialFetcher is given (null sso-session: a legacy profile). */
  ssoSession?: string | null;
  startUrl?: string;
  ssoRegion?: string;
  accountId?: string;
  roleName?: string;
}

export interface ExplainAssumeRoleJson {
  profile: string;
  kind: 'assumeRole';
  roleArn: string;
  mfaSerial: string | null;
  externalId: string | null;
  durationSeconds: number | null;
  roleSessionName: string | null;
}

export interface ExplainJson {
  profile: string;
  region: string | null;
  steps: [ExplainSourceJson, ...ExplainAssumeRoleJson[]];
}

export function toExplainJson(plan: Plan): ExplainJson {
  const [source, ...hops] = plan.steps;
  const first: ExplainSourceJson = { profile: source.profile, kind: source.kind };
  if (source.kind === 'webIdentity') first.roleArn = source.roleArn;
  if (source.kind === 'sso') {
    Object.assign(first, {
      ssoSession: source.ssoSession,
      startUrl: source.startUrl,
      ssoRegion: source.ssoRegion,
      accountId: source.accountId,
      roleName: source.roleName,
    });
  }
  return {
    profile: plan.profile,
    region: plan.region,
    steps: [
      first,
      ...hops.map((hop) => ({
        profile: hop.profile,
        kind: hop.kind,
        roleArn: hop.roleArn,
        mfaSerial: hop.mfaSerial,
        externalId: hop.externalId,
        durationSeconds: hop.durationSeconds,
        roleSessionName: hop.roleSessionName,
      })),
    ],
  };
}

export function renderExplainJson(plan: Plan): string {
  return `${JSON.stringify(toExplainJson(plan), null, 2)}\n`;
}

/** Where a profile is written, for the human view: `file:line` of each section that defines it. */
export function renderProfileLocation(profile: Profile | undefined): string {
  if (profile === undefined) return '';
  const places = [profile.config, profile.credentials].filter((s) => s !== undefined).map((s) => `${s.file}:${s.line}`);
  return places.join(', ');
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case 'static':
      return `static keys from the ${step.file} file`;
    case 'keyring':
      return `long-term keys in the keyring (swrole_keyring = ${step.backend}; item swrole/aws:${step.profile})`;
    case 'process':
      return `credential_process: ${step.command}`;
    case 'sso':
      return `IAM Identity Center: account ${step.accountId}, role ${step.roleName}, ${step.ssoSession === null ? `start URL ${step.startUrl}` : `sso-session "${step.ssoSession}"`}`;
    case 'webIdentity':
      return `AssumeRoleWithWebIdentity ${step.roleArn} with the token in ${step.tokenFile}`;
    case 'environment':
      return 'credential_source = Environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)';
    case 'ec2InstanceMetadata':
      return 'credential_source = Ec2InstanceMetadata (the instance role, IMDS)';
    case 'ecsContainer':
      return 'credential_source = EcsContainer (the container credentials endpoint)';
    case 'assumeRole': {
      const extras = [
        step.mfaSerial !== null ? `MFA ${step.mfaSerial}` : '',
        step.externalId !== null ? 'external ID set' : '',
        step.durationSeconds !== null ? `${step.durationSeconds} s` : '',
        step.roleSessionName !== null ? `session name ${step.roleSessionName}` : '',
      ].filter(Boolean);
      return `AssumeRole ${step.roleArn}${extras.length ? ` (${extras.join(', ')})` : ''}`;
    }
  }
}

/** The human view: one numbered line per step, each with where its profile is written. */
export function renderExplainText(plan: Plan, config: AwsConfig): string {
  const lines = [`profile "${plan.profile}" (region: ${plan.region ?? 'none'})`];
  plan.steps.forEach((step, index) => {
    const where = renderProfileLocation(config.profiles.get(step.profile));
    lines.push(`  ${index + 1}. [${step.profile}] ${describeStep(step)}${where ? `  — ${where}` : ''}`);
  });
  return `${lines.join('\n')}\n`;
}
