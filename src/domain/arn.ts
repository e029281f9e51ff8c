/** The 12-digit account of an ARN (`arn:aws:iam::123456789012:role/x`, `arn:aws:sts::…:assumed-role/…`), any partition. */
export function accountOfArn(arn: string | null | undefined): string | undefined {
  const match = typeof arn === 'string' ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
  return match?.[1];
}
