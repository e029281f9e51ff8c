// STS errors with the codes, HTTP statuses and messages of docs/reference/aws-behaviour.md §6.5, verbatim.

export class StsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = 'StsError';
  }
}

export const MSG = {
  mfaInvalidCode: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
  mfaUnknownDevice:
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
  mfaBoth: 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
  rootAssume: 'Roles may not be assumed by root accounts.',
  sessionTokenWithSession: 'Cannot call GetSessionToken with session credentials',
  federationTokenWithSession: 'Cannot call GetFederationToken with session credentials',
  chaining: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  maxSession: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  signature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  region: 'Credential should be scoped to a valid region. ',
} as const;

export const accessDenied = (message: string) => new StsError('AccessDenied', 403, message);
export const validation = (message: string) => new StsError('ValidationError', 400, message);
export const invalidClientTokenId = () => new StsError('InvalidClientTokenId', 403, MSG.invalidToken);
export const expiredToken = () => new StsError('ExpiredToken', 403, MSG.expiredToken);
export const signatureMismatch = (message: string = MSG.signature) => new StsError('SignatureDoesNotMatch', 403, message);
export const notAuthorized = (callerArn: string, action: string, resource: string) =>
  accessDenied(`User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`);
