/**
 * The SDK-backed SsoGateway. Imported ONLY through load-sso-gateway.ts (`await import`), which also loads the SDK
 * (aws-sdk/sdk-clients.ts: @aws-sdk/client-sso and client-sso-oidc, in the chunk shared with STS) and hands it in as
 * `sdk`; neither loads on a cache hit (DESIGN.md Performance budgets). The HTTP handler is the STS one (proxy from
 * HTTPS_PROXY/NO_PROXY, CA bundle, connect and request bounds).
 */
import type { SSOClient } from '@aws-sdk/client-sso';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type * as AwsSdk from '../aws-sdk/sdk-clients.js';
import { createStsRequestHandler } from '../sts/create-request-handler.js';
import { resolveStsTransport } from '../sts/resolve-sts-transport.js';
import { STS_ATTEMPT_TIMEOUT_MS } from '../sts/with-retry.js';
import { sdkClientSettings } from '../sts/sdk-client-settings.js';
import type { SdkSharedSettings } from '../sts/sdk-shared-settings.js';
import type { SsoEndpoints } from './sso-endpoints.js';
import type { SsoCallOptions, SsoGateway } from './sso-gateway.js';

export interface SdkSsoGatewayOptions {
  endpoints: SsoEndpoints;
  region: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The selected profile's `ca_bundle`. */
  profileCaBundle?: string | undefined;
  /** The SDK chunk (aws-sdk/sdk-clients.ts), loaded by load-sso-gateway.ts. */
  sdk: typeof AwsSdk;
  /** What the clients would otherwise read from ~/.aws themselves (sts/sdk-shared-settings.ts). */
  shared: SdkSharedSettings;
}

const CONNECTION_TIMEOUT_MS = 3000;

const abort = (options: SsoCallOptions | undefined) => (options?.signal ? { abortSignal: options.signal } : {});

export function createSdkSsoGateway(options: SdkSsoGatewayOptions): SsoGateway {
  const {
    CreateTokenCommand,
    GetRoleCredentialsCommand,
    ListAccountRolesCommand,
    ListAccountsCommand,
    LogoutCommand,
    RegisterClientCommand,
    SSOClient,
    SSOOIDCClient,
    StartDeviceAuthorizationCommand,
  } = options.sdk;
  const handler = (url: string) =>
    createStsRequestHandler(
      url,
      resolveStsTransport({ env: options.env, endpointUrl: url, profileCaBundle: options.profileCaBundle }),
      {
        connectMs: CONNECTION_TIMEOUT_MS,
        requestMs: STS_ATTEMPT_TIMEOUT_MS,
      },
      options.sdk,
    );
  // No credentials anywhere: both services are unsigned (the model's noAuth); swrole's bounded retries count attempts.
  // The rest of their settings from swrole's parse: the clients never read ~/.aws themselves (issue 16).
  const base = {
    region: options.region,
    maxAttempts: 1,
    credentials: async () => ({ accessKeyId: '', secretAccessKey: '' }),
    ...sdkClientSettings(options.sdk, options.shared, options.region),
  };
  let oidc: SSOOIDCClient | undefined;
  let portal: SSOClient | undefined;
  const oidcClient = () =>
    (oidc ??= new SSOOIDCClient({ ...base, endpoint: options.endpoints.oidc, requestHandler: handler(options.endpoints.oidc) }));
  const portalClient = () =>
    (portal ??= new SSOClient({ ...base, endpoint: options.endpoints.portal, requestHandler: handler(options.endpoints.portal) }));

  return {
    async registerClient(input, o) {
      const out = await oidcClient().send(
        new RegisterClientCommand({
          clientName: input.clientName,
          clientType: 'public',
          scopes: input.scopes ? [...input.scopes] : undefined,
          grantTypes: input.grantTypes ? [...input.grantTypes] : undefined,
          redirectUris: input.redirectUris ? [...input.redirectUris] : undefined,
          issuerUrl: input.issuerUrl,
        }),
        abort(o),
      );
      if (!out.clientId || !out.clientSecret) throw new Error('RegisterClient returned no client');
      return { clientId: out.clientId, clientSecret: out.clientSecret, clientSecretExpiresAt: out.clientSecretExpiresAt ?? 0 };
    },
    async startDeviceAuthorization(input, o) {
      const out = await oidcClient().send(new StartDeviceAuthorizationCommand(input), abort(o));
      if (!out.deviceCode || !out.userCode || !out.verificationUri) throw new Error('StartDeviceAuthorization returned no device code');
      return {
        deviceCode: out.deviceCode,
        userCode: out.userCode,
        verificationUri: out.verificationUri,
        verificationUriComplete: out.verificationUriComplete ?? out.verificationUri,
        expiresIn: out.expiresIn ?? 600,
        interval: out.interval,
      };
    },
    async createToken(input, o) {
      const out = await oidcClient().send(new CreateTokenCommand(input), abort(o));
      if (!out.accessToken) throw new Error('CreateToken returned no access token');
      return { accessToken: out.accessToken, expiresIn: out.expiresIn ?? 0, refreshToken: out.refreshToken };
    },
    async getRoleCredentials(input, o) {
      const out = await portalClient().send(new GetRoleCredentialsCommand(input), abort(o));
      const c = out.roleCredentials;
      if (!c?.accessKeyId || !c.secretAccessKey) throw new Error('GetRoleCredentials returned no credentials');
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        ...(c.expiration ? { expiration: new Date(c.expiration).toISOString() } : {}),
        accountId: input.accountId,
      };
    },
    async listAccounts(input, o) {
      const out = await portalClient().send(
        new ListAccountsCommand({ accessToken: input.accessToken, nextToken: input.nextToken, maxResults: input.maxResults }),
        abort(o),
      );
      const items = (out.accountList ?? [])
        .filter((a) => typeof a.accountId === 'string')
        .map((a) => ({ accountId: a.accountId!, accountName: a.accountName, emailAddress: a.emailAddress }));
      return { items, nextToken: out.nextToken || undefined };
    },
    async listAccountRoles(input, o) {
      const out = await portalClient().send(new ListAccountRolesCommand(input), abort(o));
      const items = (out.roleList ?? []).map((r) => r.roleName).filter((name): name is string => typeof name === 'string');
      return { items, nextToken: out.nextToken || undefined };
    },
    async logout(input, o) {
      await portalClient().send(new LogoutCommand(input), abort(o));
    },
  };
}
