/**
 * The narrow STS surface swrole needs. credentials/ talks only to this interface; the SDK-backed
 * implementation (sdk-gateway.ts) is loaded lazily by load-gateway.ts so cache hits never load @aws-sdk.
 */
import type { Credentials } from '../domain/credentials.js';

export interface StsEndpoint {
  /** Full URL, e.g. https://sts.eu-west-1.amazonaws.com or a configured endpoint_url. */
  url: string;
  /** SigV4 signing region (us-east-1 for the global endpoint). */
  signingRegion: string;
  /** Where the URL came from, for --debug and cache keys. */
  source: 'env-service' | 'config-service' | 'env-global' | 'config-global' | 'regional' | 'global';
}

export interface SessionTokenInput {
  serialNumber?: string;
  tokenCode?: string;
  durationSeconds?: number;
}

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  serialNumber?: string;
  tokenCode?: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: readonly string[];
  sourceIdentity?: string;
  tags?: Readonly<Record<string, string>>;
  transitiveTagKeys?: readonly string[];
}

/** GetFederationToken: a session of long-term keys capped by session policies (docs/reference/aws-behaviour.md §6.4). */
export interface FederationTokenInput {
  /** 2–32 characters of [\w+=,.@-]: the federated user's name. */
  name: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: readonly string[];
  tags?: Readonly<Record<string, string>>;
}

export interface WebIdentityInput {
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
}

export interface AssumedRole {
  credentials: Credentials;
  /** arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
  assumedRoleArn: string;
}

export interface FederatedUser {
  credentials: Credentials;
  /** arn:aws:sts::<acct>:federated-user/<name>. */
  federatedUserArn: string;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** Per call: the attempt's AbortSignal from with-retry.ts (its deadline destroys the request and its socket). */
export interface StsCallOptions {
  signal?: AbortSignal | undefined;
}

export interface StsGateway {
  getSessionToken(caller: Credentials, input: SessionTokenInput, options?: StsCallOptions): Promise<Credentials>;
  assumeRole(caller: Credentials, input: AssumeRoleInput, options?: StsCallOptions): Promise<AssumedRole>;
  /** Long-term keys only. */
  getFederationToken(caller: Credentials, input: FederationTokenInput, options?: StsCallOptions): Promise<FederatedUser>;
  /** Unsigned (the token is the proof). */
  assumeRoleWithWebIdentity(input: WebIdentityInput, options?: StsCallOptions): Promise<AssumedRole>;
  getCallerIdentity(caller: Credentials, options?: StsCallOptions): Promise<CallerIdentity>;
}
