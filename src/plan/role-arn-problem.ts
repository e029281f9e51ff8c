/**
 * PURE: what is wrong with a `role_arn`, or undefined. botocore sends any text to STS, which answers a
 * ValidationError only when the role is first assumed; a new user copying the account id from the console
 * (`1234-5678-9012`) or losing a digit deserves to hear it from `list`, `explain` and `doctor` first (issue 13).
 * Shape: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` with a 12-digit ACCOUNT (IAM User Guide, "IAM ARNs").
 */
export function roleArnProblem(arn: string): string | undefined {
  const parts = arn.trim().split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return `role_arn ${arn} is not an ARN (arn:aws:iam::123456789012:role/NAME)`;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!/^aws(?:-[a-z]+)*$/.test(partition ?? ''))
    return `role_arn ${arn} has an unknown partition "${partition}" (aws, aws-cn, aws-us-gov)`;
  if (service !== 'iam' || region !== '' || !/^role\/./.test(resource)) {
    return `role_arn ${arn} is not an IAM role ARN (arn:${partition}:iam::123456789012:role/NAME)`;
  }
  if (!/^\d{12}$/.test(account ?? '')) {
    const digits = (account ?? '').replace(/\D/g, '');
    const fix = digits.length === 12 ? `: write it as ${digits}` : digits.length > 0 ? ` (it has ${digits.length} digits)` : '';
    return `role_arn ${arn} has a malformed account "${account}": an account id is 12 digits, no hyphens or spaces${fix}`;
  }
  return undefined;
}
