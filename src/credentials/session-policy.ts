import { readFileSync } from 'node:fs';
import { SwroleError } from '../errors.js';

/** STS packs inline session policies; the documented plain-text limit is 2048 characters (AssumeRole `Policy`). */
export const MAX_POLICY_CHARS = 2048;

const policyError = (file: string, message: string, hint: string, cause?: unknown) =>
  new SwroleError('E_POLICY_INVALID', `session policy ${file}: ${message}`, {
    hint,
    ...(cause !== undefined ? { cause } : {}),
  });

/**
 * PURE: checks an inline session policy before STS sees it, so a typo fails here with the file named instead of
 * as a MalformedPolicyDocument from STS. Returns the policy minified (what is sent and counted).
 */
export function parseSessionPolicy(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw policyError(
      file,
      'not valid JSON',
      'a session policy is an IAM policy document: {"Version": "2012-10-17", "Statement": [...]}',
      error,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw policyError(file, 'the top level is not a JSON object', 'write {"Version": "2012-10-17", "Statement": [...]}');
  }
  const doc = parsed as Record<string, unknown>;
  if (doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw policyError(file, '"Version" must be "2012-10-17"', 'add "Version": "2012-10-17"');
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  if (statements.length === 0 || statements.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    throw policyError(
      file,
      '"Statement" must be a statement object or a non-empty list of them',
      'add at least one {"Effect": "Allow", "Action": ..., "Resource": ...}',
    );
  }
  for (const [i, s] of statements.entries()) {
    const effect = (s as Record<string, unknown>).Effect;
    if (effect !== 'Allow' && effect !== 'Deny')
      throw policyError(file, `Statement ${i + 1}: "Effect" must be "Allow" or "Deny"`, 'fix the statement');
  }
  const minified = JSON.stringify(parsed);
  if (minified.length > MAX_POLICY_CHARS) {
    throw policyError(
      file,
      `${minified.length} characters without whitespace, over STS's ${MAX_POLICY_CHARS}`,
      'shorten it (wildcards in Action, fewer statements) or use a managed policy ARN (swrole_session_policy_arns)',
    );
  }
  return minified;
}

/** Reads, validates and minifies a session policy file; `unreadable` names the error when the file cannot be read. */
export function readSessionPolicy(
  file: string,
  unreadable: (cause: unknown) => SwroleError = (cause) => policyError(file, 'cannot be read', 'check the path given to --policy', cause),
): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(error);
  }
  return parseSessionPolicy(text, file);
}
