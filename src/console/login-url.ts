import type { Credentials } from '../domain/credentials.js';
import type { SigninEndpoint } from './signin-endpoint.js';

/** `swrole` in the sign-in page's "issuer" (where to go when the session ends); aws-vault sends `aws-vault`. */
export const ISSUER = 'swrole';

/** A console service name as it appears in console URLs (`s3`, `ec2`, `cloudwatch`, `iam`). */
const SERVICE = /^[a-z0-9][a-z0-9-]*$/;

export function isConsoleService(name: string): boolean {
  return SERVICE.test(name);
}

/** PURE: where the session lands: --destination as given, --service NAME on the partition's console, else its home. */
export function resolveDestination(
  endpoint: SigninEndpoint,
  region: string | null,
  choice: { destination?: string; service?: string },
): string {
  if (choice.destination !== undefined) return choice.destination;
  if (choice.service !== undefined) {
    return `${endpoint.consoleOrigin}/${choice.service}/home${region === null ? '' : `?region=${region}`}`;
  }
  return endpoint.consoleHome;
}

/** PURE: the getSigninToken request (docs/reference/aws-behaviour.md §8 step 2); SessionDuration only when given. */
export function renderSigninTokenUrl(federation: string, credentials: Credentials, sessionDurationSeconds: number | undefined): string {
  const session = JSON.stringify({
    sessionId: credentials.accessKeyId,
    sessionKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken ?? '',
  });
  const duration = sessionDurationSeconds === undefined ? '' : `&SessionDuration=${sessionDurationSeconds}`;
  return `${federation}?Action=getSigninToken${duration}&Session=${encodeURIComponent(session)}`;
}

/** PURE: the login URL (§8 step 3). A bearer secret for 15 minutes: printed on request, never logged. */
export function renderLoginUrl(federation: string, destination: string, signinToken: string): string {
  return (
    `${federation}?Action=login&Issuer=${encodeURIComponent(ISSUER)}` +
    `&Destination=${encodeURIComponent(destination)}&SigninToken=${encodeURIComponent(signinToken)}`
  );
}
