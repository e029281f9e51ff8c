// Trust policy evaluation for AssumeRole*: explicit Deny wins, then any Allow, else implicit deny.
// Supports the principals and condition operators swrole's users write (IAM JSON policy reference,
// "Condition operators"); keys are case-insensitive; `…IfExists` matches when the key is absent.
import type { PolicyStatement, TrustPolicy } from './world.js';

export type ContextValue = string | string[] | undefined;
export interface TrustRequest {
  action: string;
  /** Principal ARNs the caller counts as (user ARN, role ARN and assumed-role ARN) and its account. */
  principalArns: string[];
  account: string | null;
  federated?: string;
  context: Record<string, ContextValue>;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

function principalMatches(s: PolicyStatement, req: TrustRequest): boolean {
  if (s.Principal === '*') return true;
  const p = s.Principal ?? {};
  if (req.federated !== undefined) return asArray(p.Federated).includes(req.federated);
  return asArray(p.AWS).some((entry) => {
    if (entry === '*') return true;
    if (req.account !== null && (entry === req.account || entry === `arn:aws:iam::${req.account}:root`)) return true;
    return req.principalArns.includes(entry);
  });
}

function lookup(context: Record<string, ContextValue>, key: string): string[] | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) if (k.toLowerCase() === lower && v !== undefined) return asArray(v);
  return undefined;
}

function testOperator(op: string, actual: string[], expected: string[]): boolean {
  const any = (f: (a: string, e: string) => boolean) => actual.some((a) => expected.some((e) => f(a, e)));
  const num = (f: (a: number, e: number) => boolean) => any((a, e) => Number.isFinite(Number(a)) && f(Number(a), Number(e)));
  switch (op) {
    case 'StringEquals':
      return any((a, e) => a === e);
    case 'StringNotEquals':
      return !any((a, e) => a === e);
    case 'StringEqualsIgnoreCase':
      return any((a, e) => a.toLowerCase() === e.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !any((a, e) => a.toLowerCase() === e.toLowerCase());
    case 'StringLike':
      return any((a, e) => wildcard(e, a));
    case 'StringNotLike':
      return !any((a, e) => wildcard(e, a));
    case 'Bool':
      return any((a, e) => a.toLowerCase() === e.toLowerCase());
    case 'NumericEquals':
      return num((a, e) => a === e);
    case 'NumericNotEquals':
      return !num((a, e) => a === e);
    case 'NumericLessThan':
      return num((a, e) => a < e);
    case 'NumericLessThanEquals':
      return num((a, e) => a <= e);
    case 'NumericGreaterThan':
      return num((a, e) => a > e);
    case 'NumericGreaterThanEquals':
      return num((a, e) => a >= e);
    case 'ArnEquals':
    case 'ArnLike':
      return any((a, e) => wildcard(e, a));
    default:
      throw new Error(`unsupported condition operator ${op}`);
  }
}

export function conditionsHold(s: Pick<PolicyStatement, 'Condition'>, context: Record<string, ContextValue>): boolean {
  for (const [rawOp, block] of Object.entries(s.Condition ?? {})) {
    const ifExists = rawOp.endsWith('IfExists');
    const op = ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp;
    for (const [key, raw] of Object.entries(block)) {
      const expected = asArray(raw).map(String);
      const actual = lookup(context, key);
      if (op === 'Null') {
        if ((actual === undefined) !== (expected[0]?.toLowerCase() === 'true')) return false;
        continue;
      }
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      if (!testOperator(op, actual, expected)) return false;
    }
  }
  return true;
}

function applies(s: PolicyStatement, req: TrustRequest): boolean {
  return asArray(s.Action).some((a) => wildcard(a, req.action, true)) && principalMatches(s, req) && conditionsHold(s, req.context);
}

/**
 * The first of `actions` the trust policy does not allow (null: all allowed). A request with tags or a source
 * identity needs sts:TagSession / sts:SetSourceIdentity too, and AWS names the refused one in its AccessDenied
 * ("… is not authorized to perform: sts:TagSession on resource: …", docs/reference/aws-behaviour.md §6.5). Which
 * one AWS names when several are missing is not documented: this checks them in the order given.
 */
export function refusedAction(policy: TrustPolicy, req: TrustRequest, actions: string[] = [req.action]): string | null {
  const statements = asArray(policy.Statement);
  for (const action of actions) {
    const r = { ...req, action };
    if (statements.some((s) => s.Effect === 'Deny' && applies(s, r))) return action;
    if (!statements.some((s) => s.Effect === 'Allow' && applies(s, r))) return action;
  }
  return null;
}

/** True when the trust policy allows `req` (all of `actions` must be allowed: e.g. sts:TagSession too). */
export function isTrusted(policy: TrustPolicy, req: TrustRequest, actions: string[] = [req.action]): boolean {
  return refusedAction(policy, req, actions) === null;
}
