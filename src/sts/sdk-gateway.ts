/**
 * The SDK-backed StsGateway. Imported ONLY through load-gateway.ts (`await import`), which also loads the SDK
 * itself (aws-sdk/sdk-clients.ts, the chunk shared with IAM Identity Center) and hands it in as `sdk`: neither is
 * loaded on a cache hit (DESIGN.md Performance budgets). Only the SDK's types are imported here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Credentials as SdkCredentials } from '@aws-sdk/client-sts';
import type * as AwsSdk from '../aws-sdk/sdk-clients.js';
import type { Credentials } from '../domain/credentials.js';
import type { StsCallOptions, StsEndpoint, StsGateway } from './gateway.js';
import { accountOfArn } from '../domain/arn.js';
import { STS_ATTEMPT_TIMEOUT_MS } from './with-retry.js';
import type { StsTransport } from './resolve-sts-transport.js';
import { createStsRequestHandler } from './create-request-handler.js';
import { sdkClientSettings } from './sdk-client-settings.js';
import type { SdkSharedSettings } from './sdk-shared-settings.js';

export interface SdkGatewayOptions {
  endpoint: StsEndpoint;
  /** swrole's clock minus the system clock (0 in normal use; tests run swrole on an advanced clock). */
  clockOffsetMs: number;
  /** Proxy and CA bundle (resolve-sts-transport.ts). */
  transport: StsTransport;
  /** The SDK chunk (aws-sdk/sdk-clients.ts), loaded by load-gateway.ts. */
  sdk: typeof AwsSdk;
  /** What the client would otherwise read from ~/.aws itself (sdk-shared-settings.ts). */
  shared: SdkSharedSettings;
}

/** An unreachable STS must not hang an agent: a TCP connection takes milliseconds or never comes. */
const CONNECTION_TIMEOUT_MS = 3000;

function toCredentials(value: SdkCredentials | undefined, arn?: string): Credentials {
  if (!value?.AccessKeyId || !value.SecretAccessKey) throw new Error('STS returned no credentials');
  const account = accountOfArn(arn);
  return {
    accessKeyId: value.AccessKeyId,
    secretAccessKey: value.SecretAccessKey,
    ...(value.SessionToken ? { sessionToken: value.SessionToken } : {}),
    ...(value.Expiration ? { expiration: new Date(value.Expiration).toISOString() } : {}),
    ...(account ? { accountId: account } : {}),
  };
}

export function createSdkGateway(options: SdkGatewayOptions): StsGateway {
  const {
    AssumeRoleCommand,
    AssumeRoleWithWebIdentityCommand,
    GetCallerIdentityCommand,
    GetFederationTokenCommand,
    GetSessionTokenCommand,
    STSClient,
  } = options.sdk;
  // One handler for every call of this run (MFA session, then each hop): a kept-alive connection is reused.
  // The real bound is the attempt's AbortSignal (with-retry.ts), which also covers a body that trickles in.
  const requestHandler = createStsRequestHandler(
    options.endpoint.url,
    options.transport,
    {
      connectMs: CONNECTION_TIMEOUT_MS,
      requestMs: STS_ATTEMPT_TIMEOUT_MS,
    },
    options.sdk,
  );
  // One client for every call of this run (issue 16): each call's caller rides in an AsyncLocalStorage that the
  // credentials provider reads, so concurrent calls with different callers cannot mix. `memoized` tells the SDK the
  // provider caches nothing it must wrap (@aws-sdk/core resolveAwsSdkSigV4Config: a provider without it is memoized
  // until its identity expires, which a long-term key never does: every later call would sign as the first caller).
  const callers = new AsyncLocalStorage<Credentials | undefined>();
  const credentials = Object.assign(
    async () => {
      const caller = callers.getStore();
      // AssumeRoleWithWebIdentity is unsigned: an explicit empty identity, so the client never walks the
      // default chain (which would read env/IMDS).
      if (caller === undefined) return { accessKeyId: '', secretAccessKey: '' };
      const identity = { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey, sessionToken: caller.sessionToken };
      // As the SDK marks credentials given as an object (the User-Agent's credential source stays what it was).
      return options.sdk.setCredentialFeature(identity, 'CREDENTIALS_CODE', 'e');
    },
    { memoized: true },
  );
  let sts: InstanceType<typeof STSClient> | undefined;
  const client = () =>
    (sts ??= new STSClient({
      region: options.endpoint.signingRegion,
      endpoint: options.endpoint.url,
      // Our own bounded retry (with-retry.ts) counts attempts; the SDK must not multiply them.
      maxAttempts: 1,
      // Sign with swrole's clock (Deps.now), so the signature time and our expiry checks agree.
      systemClockOffset: options.clockOffsetMs,
      requestHandler,
      credentials,
      // Everything else the client would read from ~/.aws itself, from swrole's own parse.
      ...sdkClientSettings(options.sdk, options.shared, options.endpoint.signingRegion),
    }));
  const as = <T>(caller: Credentials | undefined, call: () => Promise<T>): Promise<T> => callers.run(caller, call);

  const sendOptions = (options: StsCallOptions | undefined) => (options?.signal ? { abortSignal: options.signal } : {});

  return {
    async getSessionToken(caller, input, options) {
      const out = await as(caller, () =>
        client().send(
          new GetSessionTokenCommand({
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
            DurationSeconds: input.durationSeconds,
          }),
          sendOptions(options),
        ),
      );
      return toCredentials(out.Credentials);
    },
    async assumeRole(caller, input, options) {
      const tags = input.tags ? Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })) : [];
      const out = await as(caller, () =>
        client().send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            ExternalId: input.externalId,
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
            DurationSeconds: input.durationSeconds,
            Policy: input.policy,
            PolicyArns: input.policyArns && input.policyArns.length > 0 ? input.policyArns.map((arn) => ({ arn })) : undefined,
            SourceIdentity: input.sourceIdentity,
            Tags: tags.length > 0 ? tags : undefined,
            TransitiveTagKeys: input.transitiveTagKeys && input.transitiveTagKeys.length > 0 ? [...input.transitiveTagKeys] : undefined,
          }),
          sendOptions(options),
        ),
      );
      const arn = out.AssumedRoleUser?.Arn ?? input.roleArn;
      return { credentials: toCredentials(out.Credentials, arn), assumedRoleArn: arn };
    },
    async getFederationToken(caller, input, options) {
      const tags = input.tags ? Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })) : [];
      const out = await as(caller, () =>
        client().send(
          new GetFederationTokenCommand({
            Name: input.name,
            DurationSeconds: input.durationSeconds,
            Policy: input.policy,
            PolicyArns: input.policyArns && input.policyArns.length > 0 ? input.policyArns.map((arn) => ({ arn })) : undefined,
            Tags: tags.length > 0 ? tags : undefined,
          }),
          { abortSignal: options?.signal },
        ),
      );
      const arn = out.FederatedUser?.Arn ?? '';
      return { credentials: toCredentials(out.Credentials, arn), federatedUserArn: arn };
    },
    async assumeRoleWithWebIdentity(input, options) {
      const out = await as(undefined, () =>
        client().send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            WebIdentityToken: input.webIdentityToken,
          }),
          sendOptions(options),
        ),
      );
      const arn = out.AssumedRoleUser?.Arn ?? input.roleArn;
      return { credentials: toCredentials(out.Credentials, arn), assumedRoleArn: arn };
    },
    async getCallerIdentity(caller, options) {
      const out = await as(caller, () => client().send(new GetCallerIdentityCommand({}), sendOptions(options)));
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    },
  };
}

// The IAM calls of `swrole keys rotate` share this chunk (and its one copy of the SDK core).
export { createSdkIamGateway } from './sdk-iam-gateway.js';
