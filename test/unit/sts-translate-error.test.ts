// translateStsError as a spec sheet: every STS error it maps (docs/reference/aws-behaviour.md §6.5, verbatim
// messages), in the shapes the SDK v3 and node's network stack throw them → swrole code, exit 4, the hint.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translateStsError, type StsErrorContext } from '../../src/sts/translate-sts-error.js';
import { SwroleError, exitCodeOf, type ErrorCode } from '../../src/errors.js';

const ROLE = 'arn:aws:iam::111111111111:role/RoleA';
const SERIAL = 'arn:aws:iam::333333333333:mfa/alice';
const ASSUME: StsErrorContext = {
  operation: 'AssumeRole',
  profile: 'prod',
  roleArn: ROLE,
  mfaSerial: SERIAL,
  endpoint: 'https://sts.eu-west-1.amazonaws.com',
};

/** An SDK v3 service exception: `name` is the AWS code, `$metadata` carries the status. */
function sdkError(name: string, message: string, status = 400, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

/** A network failure from node (name "Error", the errno in `code`). */
function networkError(code: string, message = `connect ${code} 127.0.0.1:9`): Error {
  return Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
}

interface Row {
  what: string;
  error: unknown;
  code: ErrorCode;
  hint: RegExp;
  ctx?: StsErrorContext;
}

const rows: Row[] = [
  // AccessDenied: the message decides which of six things went wrong.
  {
    what: 'AccessDenied: not authorized by the trust policy',
    error: sdkError(
      'AccessDenied',
      `User: arn:aws:iam::333333333333:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      403,
    ),
    code: 'E_ACCESS_DENIED',
    hint: new RegExp(`check the trust policy of role ${ROLE}.*MFA \\(mfa_serial\\).*ExternalId \\(external_id\\)\\?$`),
  },
  {
    what: 'AccessDenied for an agent session (tags, SourceIdentity): the hint names sts:TagSession',
    error: sdkError('AccessDenied', 'User: x is not authorized to perform: sts:TagSession', 403),
    ctx: { ...ASSUME, tagsOrSourceIdentity: true },
    code: 'E_ACCESS_DENIED',
    hint: /session tags and SourceIdentity also need sts:TagSession and sts:SetSourceIdentity in its Action list/,
  },
  {
    what: 'AccessDeniedException (JSON protocol spelling)',
    error: sdkError('AccessDeniedException', 'denied', 403),
    code: 'E_ACCESS_DENIED',
    hint: /check the trust policy/,
  },
  {
    what: 'a wrong or reused MFA code',
    error: sdkError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403),
    code: 'E_MFA_CODE_INVALID',
    hint: /wait for the next code/,
  },
  {
    what: 'an MFA serial that is not this user’s device (two spaces after "code.")',
    error: sdkError(
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
      403,
    ),
    code: 'E_MFA_SERIAL_INVALID',
    hint: new RegExp(`check mfa_serial \\(${SERIAL}\\)`),
  },
  {
    what: 'MFA required by the role but no serial/code sent',
    error: sdkError('AccessDenied', 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.', 403),
    code: 'E_MFA_MISSING',
    hint: /add `mfa_serial = arn:aws:iam::<account>:mfa\/<name>`/,
  },
  {
    what: 'root keys as the source',
    error: sdkError('AccessDenied', 'Roles may not be assumed by root accounts.', 403),
    code: 'E_ROOT_ASSUME',
    hint: /use an IAM user or role as source_profile/,
  },
  {
    what: 'GetSessionToken called with temporary credentials',
    error: sdkError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403),
    ctx: { operation: 'GetSessionToken', profile: 'prod' },
    code: 'E_SESSION_CREDENTIALS',
    hint: /needs long-term IAM user keys/,
  },
  // ValidationError: chaining cap, MaxSessionDuration, anything else.
  {
    what: 'role chaining over 1 h',
    error: sdkError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    ),
    code: 'E_CHAINED_DURATION',
    hint: /lasts at most 1 h: set duration_seconds ≤ 3600/,
  },
  {
    what: 'longer than the role’s MaxSessionDuration',
    error: sdkError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
    code: 'E_DURATION_TOO_LONG',
    hint: new RegExp(`lower duration_seconds / --duration, or raise MaxSessionDuration of role ${ROLE}`),
  },
  {
    what: 'another validation error (a constraint on a member)',
    error: sdkError(
      'ValidationError',
      "1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    ),
    code: 'E_STS_VALIDATION',
    hint: /duration_seconds 900–43200, role_session_name, external_id, mfa_serial/,
  },
  // Keys, tokens, signatures.
  {
    what: 'an unknown access key or a bad session token',
    error: sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    code: 'E_INVALID_KEYS',
    hint: /check the source profile keys, or run `swrole logout`/,
  },
  {
    what: 'an expired session token (ExpiredToken, 403)',
    error: sdkError('ExpiredToken', 'The security token included in the request is expired', 403),
    code: 'E_TOKEN_EXPIRED',
    hint: /run `swrole login prod`/,
  },
  {
    what: 'an expired web identity token (ExpiredTokenException, 400)',
    error: sdkError(
      'ExpiredTokenException',
      'Token expired: current date/time 2026-01-01T00:00:00Z must be before the expiration date/time 2025-12-31T00:00:00Z',
    ),
    ctx: { operation: 'AssumeRoleWithWebIdentity', profile: 'prod', roleArn: ROLE },
    code: 'E_TOKEN_EXPIRED',
    hint: /swrole login prod/,
  },
  {
    what: 'a clock behind by more than 15 minutes',
    error: sdkError(
      'SignatureDoesNotMatch',
      'Signature expired: 20160609T184512Z is now earlier than 20160610T013008Z (20160610T014508Z - 15 min.)',
      403,
    ),
    code: 'E_CLOCK_SKEW',
    hint: /clock is off by more than 15 minutes: sync it/,
  },
  {
    what: 'a clock ahead by more than 15 minutes',
    error: sdkError(
      'SignatureDoesNotMatch',
      'Signature not yet current: 20160610T020000Z is still later than 20160610T014508Z (20160610T013008Z + 15 min.)',
      403,
    ),
    code: 'E_CLOCK_SKEW',
    hint: /sync it/,
  },
  {
    what: 'signed for an invalid region (trailing space kept by AWS)',
    error: sdkError('SignatureDoesNotMatch', 'Credential should be scoped to a valid region. ', 403),
    code: 'E_SIGNING_REGION',
    hint: /signed for the wrong region: check `region` and the STS endpoint/,
  },
  {
    what: 'a secret key that does not match the access key id',
    error: sdkError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    ),
    code: 'E_BAD_SECRET',
    hint: /secret access key does not match the access key id/,
  },
  {
    what: 'a malformed Authorization header',
    error: sdkError('IncompleteSignature', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."),
    code: 'E_BAD_SIGNATURE',
    hint: /not signed properly: check the source credentials/,
  },
  {
    what: 'no signature at all',
    error: sdkError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    code: 'E_BAD_SIGNATURE',
    hint: /not signed properly/,
  },
  // Region, policies, web identity, throttling.
  {
    what: 'STS not activated in the region',
    error: sdkError('RegionDisabledException', 'STS is not activated in this region for account:111111111111.', 403),
    code: 'E_REGION_DISABLED',
    hint: /use another region or activate it in IAM/,
  },
  {
    what: 'a malformed session policy (query protocol spelling)',
    error: sdkError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.'),
    code: 'E_STS_MALFORMED_POLICY',
    hint: /not valid JSON \/ IAM policy grammar/,
  },
  {
    what: 'a malformed session policy (Exception spelling)',
    error: sdkError('MalformedPolicyDocumentException', 'Syntax errors in policy.'),
    code: 'E_STS_MALFORMED_POLICY',
    hint: /swrole_session_policy_file/,
  },
  {
    what: 'packed policies and tags too large',
    error: sdkError('PackedPolicyTooLarge', 'Packed policy consumes 112% of allotted space, please use smaller policy for this request.'),
    code: 'E_POLICY_TOO_LARGE',
    hint: /use fewer policy ARNs or tags/,
  },
  {
    what: 'packed policies too large (Exception spelling)',
    error: sdkError('PackedPolicyTooLargeException', 'Packed policy consumes 150% of allotted space'),
    code: 'E_POLICY_TOO_LARGE',
    hint: /fewer policy ARNs/,
  },
  ...['InvalidIdentityToken', 'InvalidIdentityTokenException', 'IDPRejectedClaim', 'IDPRejectedClaimException'].map((name): Row => ({
    what: `a rejected web identity token (${name})`,
    error: sdkError(name, 'The web identity token that was passed could not be validated by AWS.', name.startsWith('IDP') ? 403 : 400),
    ctx: { operation: 'AssumeRoleWithWebIdentity', profile: 'prod', roleArn: ROLE },
    code: 'E_WEB_IDENTITY_REJECTED',
    hint: /check web_identity_token_file and the role trust policy/,
  })),
  ...['Throttling', 'ThrottlingException'].map((name): Row => ({
    what: `throttled (${name})`,
    error: sdkError(name, 'Rate exceeded'),
    code: 'E_STS_THROTTLED',
    hint: /wait a moment and try again/,
  })),
  // Server errors after swrole's retries, by status whatever the code.
  ...[
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
    ['Unknown', 502],
  ].map(([name, status]): Row => ({
    what: `a ${status} server error (${name})`,
    error: sdkError(name as string, 'An internal error has occurred. Please try again later.', status as number),
    code: 'E_STS_UNAVAILABLE',
    hint: /server error after retries: try again later/,
  })),
  // The network: node's errno codes and the SDK's timeout.
  ...['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].map((code): Row => ({
    what: `unreachable (${code})`,
    error: networkError(code),
    code: 'E_STS_UNREACHABLE',
    hint: /the connection failed: check AWS_ENDPOINT_URL_STS \/ endpoint_url, the network, and whether this network needs a proxy/,
  })),
  {
    what: 'unreachable (SDK TimeoutError)',
    error: Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }),
    code: 'E_STS_UNREACHABLE',
    hint: /check AWS_ENDPOINT_URL_STS \/ endpoint_url, the network/,
  },
  // Anything else keeps the AWS text and says how to see more.
  {
    what: 'an unknown AWS code',
    error: sdkError('InvalidParameterValue', 'The policy ARN arn:aws:iam::aws:policy is invalid.'),
    code: 'E_STS_FAILED',
    hint: /run again with --debug/,
  },
  {
    what: 'an XML-parsed error with `Code` and a generic name',
    error: Object.assign(new Error('Something new'), { Code: 'BrandNewError' }),
    code: 'E_STS_FAILED',
    hint: /--debug/,
  },
  { what: 'not an Error at all', error: 'socket hang up', code: 'E_STS_FAILED', hint: /--debug/ },
];

describe('translateStsError: every STS error it maps', () => {
  for (const row of rows) {
    it(`${row.what} → ${row.code}, exit 4`, () => {
      const ctx = row.ctx ?? ASSUME;
      const error = translateStsError(row.error, ctx);
      assert.ok(error instanceof SwroleError);
      assert.equal(error.code, row.code);
      assert.equal(error.exit, 4);
      assert.equal(exitCodeOf(row.code), 4);
      assert.match(error.hint ?? '', row.hint);
      assert.equal(error.cause, row.error, 'the SDK error is kept as the cause (--debug prints it)');
      assert.ok(error.message.startsWith(`profile "${ctx.profile}": `), error.message);
      if (row.code === 'E_STS_UNREACHABLE') {
        assert.ok(error.message.includes(`cannot reach STS at ${ctx.endpoint}`), error.message);
        return;
      }
      // Operation, role and the AWS text: what the user will search for.
      assert.ok(error.message.includes(`${ctx.operation}${ctx.roleArn ? ` ${ctx.roleArn}` : ''} failed: `), error.message);
      const text = row.error instanceof Error ? row.error.message : String(row.error);
      assert.ok(error.message.endsWith(text), `keeps the AWS message: ${error.message}`);
    });
  }

  it('the table covers every auth code translateStsError can raise', () => {
    const raised = new Set(rows.map((r) => r.code));
    for (const code of [
      'E_ACCESS_DENIED',
      'E_MFA_CODE_INVALID',
      'E_MFA_SERIAL_INVALID',
      'E_MFA_MISSING',
      'E_ROOT_ASSUME',
      'E_SESSION_CREDENTIALS',
      'E_CHAINED_DURATION',
      'E_DURATION_TOO_LONG',
      'E_STS_VALIDATION',
      'E_INVALID_KEYS',
      'E_TOKEN_EXPIRED',
      'E_CLOCK_SKEW',
      'E_SIGNING_REGION',
      'E_BAD_SECRET',
      'E_BAD_SIGNATURE',
      'E_REGION_DISABLED',
      'E_STS_MALFORMED_POLICY',
      'E_POLICY_TOO_LARGE',
      'E_WEB_IDENTITY_REJECTED',
      'E_STS_THROTTLED',
      'E_STS_UNAVAILABLE',
      'E_STS_UNREACHABLE',
      'E_STS_FAILED',
    ] as const)
      assert.ok(raised.has(code), code);
  });

  it('GetCallerIdentity and GetSessionToken errors name the operation, not a role', () => {
    const error = translateStsError(sdkError('ExpiredToken', 'The security token included in the request is expired', 403), {
      operation: 'GetCallerIdentity',
      profile: 'dev',
    });
    assert.equal(error.code, 'E_TOKEN_EXPIRED');
    assert.equal(
      error.message,
      'profile "dev": GetCallerIdentity failed: ExpiredToken: The security token included in the request is expired',
    );
    assert.match(
      translateStsError(sdkError('AccessDenied', 'nope', 403), { operation: 'GetSessionToken', profile: 'dev' }).hint ?? '',
      /check the trust policy of GetSessionToken/,
    );
  });

  it('anything that looks like a secret in an AWS message is redacted (never printed, never logged)', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD' + 'a'.repeat(60);
    const error = translateStsError(
      sdkError('InvalidClientTokenId', `The security token ${token} with key ${secret} is invalid.`, 403),
      ASSUME,
    );
    assert.equal(error.code, 'E_INVALID_KEYS');
    assert.doesNotMatch(error.message, new RegExp(secret.replace(/[/+]/g, '\\$&')));
    assert.ok(!error.message.includes(token.slice(0, 40)), error.message);
    assert.match(error.message, /The security token … with key … is invalid\./);
  });

  it('a SwroleError passes through unchanged', () => {
    const own = new SwroleError('E_MFA_REQUIRED', 'profile "prod": an MFA code is needed');
    assert.equal(translateStsError(own, ASSUME), own);
  });
});
