// Pieces shared by AssumeRole and AssumeRoleWithWebIdentity: role lookup, session policies, packed size.
import { deflateRawSync } from 'node:zlib';
import { StsError, validation } from './sts-error.js';
import { NAME_PATTERN, type ParamValidator } from './validate-params.js';
import type { Role, World } from './world.js';

export interface FoundRole {
  account: string;
  name: string;
  arn: string;
  role: Role;
}

/** The role an ARN names (`arn:aws:iam::ACCT:role/path/NAME`), or null. */
export function findRole(world: World, arn: string): FoundRole | null {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  if (!m) return null;
  const [, account, path, name] = m as unknown as [string, string, string, string];
  const role = world.accounts[account]?.roles?.[name];
  if (!role || (role.path ?? '/') !== path) return null;
  return { account, name, arn, role };
}

export interface SessionPolicyParams {
  policy?: string;
  policyArns: string[];
}

/** Validate Policy/PolicyArns (names from the STS model), before authorization as STS does. */
export function readSessionPolicy(v: ParamValidator): SessionPolicyParams {
  const policy = v.string('Policy', { min: 1, max: 2048 });
  const policyArns = v.list('PolicyArns', 'arn');
  v.check(policyArns.length <= 10, 'policyArns', `[${policyArns.join(', ')}]`, 'have length less than or equal to 10');
  for (const arn of policyArns)
    v.check(arn.length >= 20 && arn.length <= 2048, 'policyArns.member.arn', arn, 'have length between 20 and 2048');
  return policy === undefined ? { policyArns } : { policy, policyArns };
}

export function checkSessionPolicy(p: SessionPolicyParams): void {
  if (p.policy !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(p.policy);
    } catch {
      throw new StsError('MalformedPolicyDocument', 400, 'The policy is not in the valid JSON format.');
    }
    if (typeof doc !== 'object' || doc === null || !('Statement' in doc))
      throw new StsError('MalformedPolicyDocument', 400, 'Syntax errors in policy.');
  }
  for (const arn of p.policyArns) {
    if (!/^arn:aws:iam::(aws|\d{12}):policy\/.+/.test(arn))
      throw new StsError('InvalidParameterValue', 400, `The policy ARN ${arn} is invalid.`);
  }
}

/**
 * PackedPolicySize: the percentage of the (undocumented) packed limit used by session policies and
 * tags. AWS compresses them; we deflate and compare to 2048 bytes, an approximation, clamped at 100.
 */
export function packedPolicySize(p: SessionPolicyParams, tags: Record<string, string>): number | undefined {
  const plain = [p.policy ?? '', ...p.policyArns, ...Object.entries(tags).map(([k, v]) => `${k}=${v}`)].join('\n');
  if (plain === '') return undefined;
  const percent = Math.max(1, Math.ceil((100 * deflateRawSync(plain).length) / 2048));
  if (percent > 100)
    throw new StsError(
      'PackedPolicyTooLarge',
      400,
      `Packed policy consumes ${percent}% of allotted space, please use smaller policy for this request.`,
    );
  return percent;
}

export function readSessionName(v: ParamValidator): string | undefined {
  return v.string('RoleSessionName', { required: true, min: 2, max: 64, pattern: NAME_PATTERN });
}

export const assumedRoleArn = (r: FoundRole, session: string) => `arn:aws:sts::${r.account}:assumed-role/${r.name}/${session}`;

const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** `Tags.member.N.Key/Value` with the STS model's constraints (AssumeRole, GetFederationToken). */
export function readSessionTags(v: ParamValidator): { keys: string[]; values: string[] } {
  const keys = v.list('Tags', 'Key');
  const values = v.list('Tags', 'Value');
  v.check(keys.length <= 50, 'tags', String(keys.length), 'have length less than or equal to 50');
  keys.forEach((k, i) => {
    v.check(
      k.length >= 1 && k.length <= 128 && TAG_PATTERN.test(k),
      `tags.${i + 1}.member.key`,
      k,
      'have length between 1 and 128 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
    );
    const value = values[i] ?? '';
    v.check(
      value.length <= 256 && TAG_PATTERN.test(value),
      `tags.${i + 1}.member.value`,
      value,
      'have length less than or equal to 256 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
    );
  });
  return { keys, values };
}

/** Tag keys are case-insensitive: a key given twice is refused. Returns the keys lower-cased. */
export function checkTagKeys(keys: readonly string[]): string[] {
  const lower = keys.map((k) => k.toLowerCase());
  if (new Set(lower).size !== lower.length) throw validation('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  return lower;
}
