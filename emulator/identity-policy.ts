// The caller's own permissions, where STS checks them (GetFederationToken): explicit Deny wins, then any Allow,
// else implicit deny. Action and Resource with `*`/`?` wildcards; conditions are not modelled.
import type { IdentityPolicy } from './world.js';

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

/** True when `policy` allows `action` on `resource`; a user without a policy in the world may do anything. */
export function isAllowedByIdentity(policy: IdentityPolicy | undefined, action: string, resource: string): boolean {
  if (policy === undefined) return true;
  const matching = asArray(policy.Statement).filter(
    (s) =>
      asArray(s.Action).some((a) => wildcard(a, action, true)) &&
      (s.Resource === undefined ? true : asArray(s.Resource).some((r) => wildcard(r, resource, false))),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return false;
  return matching.some((s) => s.Effect === 'Allow');
}
