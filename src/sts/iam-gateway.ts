/**
 * The IAM access-key calls `swrole keys rotate` makes (docs/reference/sso-keyring-console.md B.4), behind a narrow
 * interface like the STS gateway: the SDK-backed implementation (sdk-iam-gateway.ts) is loaded lazily by
 * loadIamGateway, never on a cache hit. IAM is global: one endpoint, signed for us-east-1.
 */
import type { Credentials } from '../domain/credentials.js';
import type { StsTransport } from './resolve-sts-transport.js';

export interface AccessKeyInfo {
  accessKeyId: string;
  status: string;
}

export interface IamGateway {
  /** The caller's own keys (no UserName: IAM answers for the signing user). */
  listAccessKeys(caller: Credentials): Promise<{ userName: string | undefined; keys: AccessKeyInfo[] }>;
  createAccessKey(caller: Credentials): Promise<{ userName: string; accessKeyId: string; secretAccessKey: string }>;
  deleteAccessKey(caller: Credentials, accessKeyId: string): Promise<void>;
}

/** AWS_ENDPOINT_URL_IAM, else AWS_ENDPOINT_URL, else IAM's global endpoint. */
export function resolveIamEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  for (const name of ['AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL']) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return 'https://iam.amazonaws.com';
}

export async function loadIamGateway(url: string, clockOffsetMs: number, transport: StsTransport): Promise<IamGateway> {
  // From the STS chunk: a chunk of its own would carry a second copy of the SDK core (1 MB).
  const [sdk, { createSdkIamGateway }] = await Promise.all([import('../aws-sdk/sdk-clients.js'), import('./sdk-gateway.js')]);
  return createSdkIamGateway({ url, clockOffsetMs, transport, sdk });
}
