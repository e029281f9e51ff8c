import { SwroleError } from '../errors.js';
import type { SsoFailure } from './sso-gateway.js';

/**
 * The errors of IAM Identity Center sign-in and role credentials: botocore's own words after the profile (so a
 * search finds both tools, docs/reference/sso-keyring-console.md A.8), swrole's fix as the hint. `login` is the
 * profile the user selected: `swrole login` on it signs in the session its source uses.
 */
const loginHint = (login: string) =>
  `run \`swrole login ${login}\` in a terminal (a person signs in once; every process and agent then shares the token)`;

export const ssoErrors = {
  tokenMissing: (profile: string, login: string, name: string) =>
    new SwroleError('E_SSO_LOGIN_REQUIRED', `profile "${profile}": Error loading SSO Token: Token for ${name} does not exist`, {
      hint: loginHint(login),
    }),
  tokenInvalid: (profile: string, login: string, startUrl: string) =>
    new SwroleError('E_SSO_LOGIN_REQUIRED', `profile "${profile}": Error loading SSO Token: Token for ${startUrl} is invalid`, {
      hint: loginHint(login),
    }),
  /** A legacy token past its expiry, or a token the portal no longer accepts (401). */
  sessionExpired: (profile: string, login: string, cause?: unknown) =>
    new SwroleError(
      'E_SSO_LOGIN_REQUIRED',
      `profile "${profile}": The SSO session associated with this profile has expired or is otherwise invalid. ` +
        'To refresh this SSO session run aws sso login with the corresponding profile.',
      { hint: loginHint(login), cause },
    ),
  refreshFailed: (profile: string, login: string, why: string, cause?: unknown) =>
    new SwroleError(
      'E_SSO_LOGIN_REQUIRED',
      `profile "${profile}": Error when retrieving token from sso: Token has expired and refresh failed`,
      {
        hint: `${why}; ${loginHint(login)}`,
        cause,
      },
    ),
  noPerson: (profile: string, login: string) =>
    new SwroleError(
      'E_SSO_LOGIN_REQUIRED',
      `profile "${profile}": an IAM Identity Center sign-in needs a person, and none is here (an agent)`,
      {
        hint: loginHint(login),
      },
    ),
  /** `swrole login` where nobody can sign in: no terminal (a pipe, CI), an agent, or SWROLE_NO_PROMPT. */
  needsTerminal: (profile: string, login: string) =>
    new SwroleError(
      'E_SSO_LOGIN_REQUIRED',
      `profile "${profile}": signing in to IAM Identity Center needs a person at a terminal, and this run has none (no /dev/tty, an agent, or SWROLE_NO_PROMPT)`,
      { hint: loginHint(login) },
    ),
  noAccess: (profile: string, accountId: string, roleName: string, failure: SsoFailure) =>
    new SwroleError(
      'E_SSO_NO_ACCESS',
      `profile "${profile}": An error occurred (${failure.name}) when calling the GetRoleCredentials operation: ${failure.message || 'No access'}`,
      {
        hint: `your IAM Identity Center user is not assigned role ${roleName} in account ${accountId}: check sso_account_id and sso_role_name, or ask an administrator for the assignment (signing in again does not help)`,
      },
    ),
  throttled: (profile: string, operation: string, attempts: number, cause?: unknown) =>
    new SwroleError(
      'E_SSO_THROTTLED',
      `profile "${profile}": IAM Identity Center throttled ${operation} (429 TooManyRequestsException) ${attempts} times`,
      {
        hint: 'too many calls at once (many accounts, many parallel tools): wait a minute and retry',
        cause,
      },
    ),
  failed: (profile: string, operation: string, endpoint: string, failure: SsoFailure, cause?: unknown) =>
    new SwroleError(
      'E_SSO_FAILED',
      `profile "${profile}": ${operation} failed at ${endpoint}: ${failure.name}${failure.status ? ` (HTTP ${failure.status})` : ''}${failure.message ? `: ${failure.message}` : ''}`,
      {
        hint: 'check the network (HTTPS_PROXY, AWS_CA_BUNDLE) and sso_region; AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC move the endpoints',
        cause,
      },
    ),
  loginFailed: (profile: string, why: string, hint: string, cause?: unknown) =>
    new SwroleError('E_SSO_LOGIN_FAILED', `profile "${profile}": IAM Identity Center sign-in failed: ${why}`, { hint, cause }),
};
