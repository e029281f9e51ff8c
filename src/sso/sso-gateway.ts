/**
 * The narrow IAM Identity Center surface swrole needs: SSO-OIDC (sign-in, tokens) and the access portal (role
 * credentials, listings, sign-out). credentials/ talks only to this; the SDK-backed implementation
 * (sdk-sso-gateway.ts) is loaded by load-sso-gateway.ts on the first call, so a cache hit never loads
 * @aws-sdk/client-sso or client-sso-oidc. Both services are unsigned rest-json (docs/reference/sso-keyring-console.md A.1).
 */
import type { Credentials } from '../domain/credentials.js';

export interface SsoCallOptions {
  signal?: AbortSignal | undefined;
}

export interface RegisterClientInput {
  clientName: string;
  scopes?: readonly string[] | undefined;
  /** PKCE registrations only: authorization_code + refresh_token, the port-less loopback redirect, the start URL. */
  grantTypes?: readonly string[] | undefined;
  redirectUris?: readonly string[] | undefined;
  issuerUrl?: string | undefined;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Epoch seconds. */
  clientSecretExpiresAt: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number | undefined;
}

export type CreateTokenInput = { clientId: string; clientSecret: string } & (
  | { grantType: 'urn:ietf:params:oauth:grant-type:device_code'; deviceCode: string }
  | { grantType: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string }
  | { grantType: 'refresh_token'; refreshToken: string }
);

export interface CreatedToken {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string | undefined;
}

export interface SsoAccount {
  accountId: string;
  accountName?: string | undefined;
  emailAddress?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken?: string | undefined;
}

export interface SsoGateway {
  registerClient(input: RegisterClientInput, options?: SsoCallOptions): Promise<RegisteredClient>;
  startDeviceAuthorization(
    input: { clientId: string; clientSecret: string; startUrl: string },
    options?: SsoCallOptions,
  ): Promise<DeviceAuthorization>;
  createToken(input: CreateTokenInput, options?: SsoCallOptions): Promise<CreatedToken>;
  /** `expiration` of the credentials comes back as ISO text (the portal answers epoch ms). */
  getRoleCredentials(input: { accessToken: string; accountId: string; roleName: string }, options?: SsoCallOptions): Promise<Credentials>;
  listAccounts(
    input: { accessToken: string; nextToken?: string | undefined; maxResults?: number },
    options?: SsoCallOptions,
  ): Promise<Page<SsoAccount>>;
  listAccountRoles(
    input: { accessToken: string; accountId: string; nextToken?: string | undefined; maxResults?: number },
    options?: SsoCallOptions,
  ): Promise<Page<string>>;
  logout(input: { accessToken: string }, options?: SsoCallOptions): Promise<void>;
}

/** What a failed call said: the exception name (from x-amzn-ErrorType, cut at `:`), HTTP status, message. */
export interface SsoFailure {
  name: string;
  status: number | undefined;
  message: string;
}

/** The name/status/message of an SDK or network error (the SDK reads the name from `x-amzn-ErrorType`). */
export function describeSsoFailure(error: unknown): SsoFailure {
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    error_description?: unknown;
  };
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const name =
    typeof e.code === 'string' && !/^[A-Z][A-Za-z]+$/.test(String(e.name)) ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  const text =
    typeof e.error_description === 'string' && e.error_description !== ''
      ? e.error_description
      : typeof e.message === 'string'
        ? e.message
        : '';
  return { name: name.split(':')[0] ?? name, status, message: text === 'UnknownError' ? '' : text };
}
