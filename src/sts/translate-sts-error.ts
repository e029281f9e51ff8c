import { SwroleError, isSwroleError, type CodeOfKind } from '../errors.js';
import { redactSecrets } from '../platform/redact-secrets.js';
import { isStsTimeout } from './sts-timeout-error.js';
import type { StsTransport } from './resolve-sts-transport.js';
import { commandLine } from '../platform/command-hint.js';

export interface StsErrorContext {
  operation: 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity';
  profile: string;
  roleArn?: string;
  mfaSerial?: string;
  endpoint?: string;
  /** The proxy and CA bundle the call used (messages show the proxy without its credentials). */
  transport?: StsTransport | undefined;
  /** The request carried session tags / SourceIdentity (agent sessions): the trust policy must allow them. */
  tagsOrSourceIdentity?: boolean;
}

interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function codeOf(error: SdkErrorShape): string {
  for (const value of [error.Code, error.name, error.code]) if (typeof value === 'string' && value !== 'Error') return value;
  return 'Unknown';
}

/** Node's codes for a certificate it does not trust, or a TLS handshake that failed. */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** Where the call went, for network-level messages: the endpoint and the proxy in between (never its credentials). */
function route(ctx: StsErrorContext): string {
  const proxy = ctx.transport?.proxy;
  return `${ctx.endpoint ? ` at ${ctx.endpoint}` : ''}${proxy ? ` via proxy ${proxy.display}` : ''}`;
}

/** What to check when the network, not STS, failed: the endpoint settings and the proxy settings. */
function networkHint(ctx: StsErrorContext, first: string): string {
  const proxy = ctx.transport?.proxy;
  const check = proxy
    ? `the proxy ${proxy.display} (from ${proxy.from}; NO_PROXY bypasses it)`
    : 'whether this network needs a proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY)';
  return `${first}: check AWS_ENDPOINT_URL_STS / endpoint_url, the network, and ${check}`;
}

function hostOf(url: string | undefined): string {
  try {
    return url ? new URL(url).host : 'the endpoint';
  } catch {
    return 'the endpoint';
  }
}

/** The proxy answered instead of STS: 407 wants credentials, 403 forbids the host. */
function proxyRefused(error: unknown, status: number, ctx: StsErrorContext): SwroleError {
  const proxy = ctx.transport?.proxy;
  const name = proxy ? `the proxy ${proxy.display}` : 'a proxy';
  const hint =
    status === 407
      ? `${name} wants credentials: put them in ${proxy?.from ?? 'HTTPS_PROXY'} as http://user:password@host:port (percent-encode @ : / in them)`
      : status === 403
        ? `${name} does not allow ${hostOf(ctx.endpoint)}: have the STS endpoints allowed (sts.amazonaws.com, sts.<region>.amazonaws.com; in Claude Code's sandbox, sandbox.network.allowedDomains), or bypass the proxy with NO_PROXY`
        : `check ${name} (from ${proxy?.from ?? 'the environment'}), or bypass it for this host with NO_PROXY`;
  return new SwroleError(
    'E_STS_PROXY',
    `profile "${ctx.profile}": ${ctx.operation}: ${name} refused the request to ${hostOf(ctx.endpoint)}: HTTP ${status || 'error'}`,
    { hint, cause: error },
  );
}

/** TLS failed: almost always a certificate the trusted roots do not cover (TLS inspection) or the wrong host. */
function tlsFailed(error: unknown, code: string, ctx: StsErrorContext): SwroleError {
  const ca = ctx.transport?.caBundle;
  const host = hostOf(ctx.endpoint);
  const hint =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `the certificate presented for ${host} does not name it: check the endpoint URL`
      : ca
        ? `the certificate of ${host} is not trusted by the CA bundle ${ca.path} (from ${ca.from}): it must hold the CA that signed it (your TLS-inspecting proxy's CA, if your network has one)`
        : `the certificate of ${host} is not trusted by the system CA roots: if your network inspects TLS (a corporate proxy), set AWS_CA_BUNDLE (or ca_bundle in the profile) to a PEM file with your organisation's CA`;
  return new SwroleError('E_STS_TLS', `profile "${ctx.profile}": ${ctx.operation}: TLS with STS${route(ctx)} failed: ${code}`, {
    hint,
    cause: error,
  });
}

/**
 * Turns an STS error (docs/reference/aws-behaviour.md §6.5) into a SwroleError (exit 4) naming the profile and role, with a
 * hint saying what to check. The AWS message is kept: it is what the user will search for. Failures of the
 * way there (deadline, proxy, TLS, network) name the endpoint and the proxy, never the proxy's credentials.
 */
export function translateStsError(error: unknown, ctx: StsErrorContext): SwroleError {
  if (isSwroleError(error)) return error;
  if (isStsTimeout(error)) {
    // Our own deadline (with-retry.ts): connected, or still connecting, and no complete answer in time.
    return new SwroleError(
      'E_STS_TIMEOUT',
      `profile "${ctx.profile}": ${ctx.operation}${ctx.roleArn ? ` ${ctx.roleArn}` : ''}: no answer from STS${route(ctx)} within ${Math.round(error.waitedMs / 1000)} s (${error.attempts} attempt${error.attempts === 1 ? '' : 's'}); gave up`,
      {
        hint: networkHint(ctx, 'the endpoint, or a proxy or firewall in between, accepted the connection but did not answer'),
        cause: error,
      },
    );
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = codeOf(e);
  if (code === 'ProxyConnectError') return proxyRefused(error, Number((e as { status?: unknown }).status) || 0, ctx);
  // A forwarding proxy (http endpoints) answers 407 itself, as the response to the STS request.
  if (ctx.transport?.proxy && e.$metadata?.httpStatusCode === 407) return proxyRefused(error, 407, ctx);
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_')) return tlsFailed(error, code, ctx);
  const message = redactSecrets(typeof e.message === 'string' ? e.message : String(error));
  const target = ctx.roleArn ? `role ${ctx.roleArn}` : ctx.operation;
  const what = `profile "${ctx.profile}": ${ctx.operation}${ctx.roleArn ? ` ${ctx.roleArn}` : ''} failed: ${code}: ${message}`;
  const make = (swCode: CodeOfKind<'auth'>, hint: string) => new SwroleError(swCode, what, { hint, cause: error });

  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    if (/invalid MFA one time pass code/i.test(message)) {
      return make('E_MFA_CODE_INVALID', 'the MFA code was wrong or already used; wait for the next code and try again');
    }
    if (/unable to validate MFA code|verify your MFA serial/i.test(message)) {
      return make(
        'E_MFA_SERIAL_INVALID',
        `check mfa_serial${ctx.mfaSerial ? ` (${ctx.mfaSerial})` : ''}: it must be the ARN of an MFA device of this IAM user`,
      );
    }
    if (/must provide both MFA serial/i.test(message)) {
      return make('E_MFA_MISSING', 'this role requires MFA: add `mfa_serial = arn:aws:iam::<account>:mfa/<name>` to the profile');
    }
    if (/root accounts/i.test(message)) {
      return make('E_ROOT_ASSUME', 'roles cannot be assumed with root credentials: use an IAM user or role as source_profile');
    }
    if (/Get(Session|Federation)Token with session credentials/i.test(message)) {
      return make(
        'E_SESSION_CREDENTIALS',
        `${ctx.operation} needs long-term IAM user keys; the source profile already holds temporary credentials`,
      );
    }
    if (ctx.operation === 'GetFederationToken') {
      // The user's own policies decide here, not a trust policy (STS API reference, GetFederationToken "Permissions").
      return make(
        'E_ACCESS_DENIED',
        'a scoped session (--read-only, --policy, swrole_session_policy_*) of long-term keys is a GetFederationToken session: ' +
          'the IAM user needs "sts:GetFederationToken" (and "sts:TagSession" for session tags) in its own policies; or grant a role profile instead',
      );
    }
    // Tags and SourceIdentity need their own actions in the trust policy (IAM "Passing session tags in STS").
    const tagging = ctx.tagsOrSourceIdentity
      ? '; session tags and SourceIdentity also need sts:TagSession and sts:SetSourceIdentity in its Action list'
      : '';
    return make(
      'E_ACCESS_DENIED',
      `check the trust policy of ${target}: does it trust your identity, require MFA (mfa_serial) or an ExternalId (external_id)?${tagging}`,
    );
  }
  if (code === 'ValidationError') {
    if (/role chaining/i.test(message)) {
      return make(
        'E_CHAINED_DURATION',
        'a role assumed with temporary credentials (role chaining or an MFA session) lasts at most 1 h: set duration_seconds ≤ 3600',
      );
    }
    if (/MaxSessionDuration/i.test(message)) {
      return make('E_DURATION_TOO_LONG', `lower duration_seconds / --duration, or raise MaxSessionDuration of ${target}`);
    }
    return make('E_STS_VALIDATION', 'check the profile values (duration_seconds 900–43200, role_session_name, external_id, mfa_serial)');
  }
  if (code === 'InvalidClientTokenId') {
    return make(
      'E_INVALID_KEYS',
      'the access key is unknown or the session token is invalid: check the source profile keys, or run `swrole logout` and try again',
    );
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException') {
    return make('E_TOKEN_EXPIRED', `the session has expired: run \`${commandLine('swrole', 'login', ctx.profile)}\``);
  }
  if (code === 'SignatureDoesNotMatch') {
    if (/Signature expired|not yet current/i.test(message)) {
      return make('E_CLOCK_SKEW', "your computer's clock is off by more than 15 minutes: sync it (e.g. `sudo timedatectl set-ntp true`)");
    }
    if (/scoped to a valid region/i.test(message)) {
      return make('E_SIGNING_REGION', 'the request was signed for the wrong region: check `region` and the STS endpoint');
    }
    return make('E_BAD_SECRET', 'the secret access key does not match the access key id: check the source profile keys');
  }
  if (code === 'IncompleteSignature' || code === 'MissingAuthenticationToken') {
    return make('E_BAD_SIGNATURE', 'the request was not signed properly: check the source credentials');
  }
  if (code === 'RegionDisabledException') {
    return make('E_REGION_DISABLED', 'STS is not activated in this region for the account: use another region or activate it in IAM');
  }
  if (code === 'MalformedPolicyDocument' || code === 'MalformedPolicyDocumentException') {
    return make('E_STS_MALFORMED_POLICY', 'the session policy is not valid JSON / IAM policy grammar: check swrole_session_policy_file');
  }
  if (code === 'PackedPolicyTooLarge' || code === 'PackedPolicyTooLargeException') {
    return make('E_POLICY_TOO_LARGE', 'the session policies and tags are too large: use fewer policy ARNs or tags');
  }
  if (
    code === 'InvalidIdentityToken' ||
    code === 'InvalidIdentityTokenException' ||
    code === 'IDPRejectedClaim' ||
    code === 'IDPRejectedClaimException'
  ) {
    return make('E_WEB_IDENTITY_REJECTED', 'the web identity token was rejected: check web_identity_token_file and the role trust policy');
  }
  if (code === 'Throttling' || code === 'ThrottlingException') {
    return make('E_STS_THROTTLED', 'STS is throttling requests: wait a moment and try again');
  }
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) {
    return make('E_STS_UNAVAILABLE', 'STS answered with a server error after retries: try again later');
  }
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError'].includes(code)) {
    return new SwroleError('E_STS_UNREACHABLE', `profile "${ctx.profile}": cannot reach STS${route(ctx)}: ${code}`, {
      hint: networkHint(ctx, 'the connection failed'),
      cause: error,
    });
  }
  return make('E_STS_FAILED', 'run again with --debug for details');
}
