import { readFileSync } from 'node:fs';
import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import type { Deps } from '../platform/deps.js';

/** Hosts botocore accepts over plain http for container credentials (docs/reference/aws-behaviour.md §4). */
const ALLOWED_HTTP_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]']);

function sourceError(profile: string, source: string, message: string, cause?: unknown, hint?: string): SwroleError {
  return new SwroleError('E_SOURCE_UNAVAILABLE', `profile "${profile}": no credentials from credential_source ${source}: ${message}`, {
    hint:
      hint ??
      (source === 'EcsContainer'
        ? 'this works only inside ECS/EKS (AWS_CONTAINER_CREDENTIALS_* must be set)'
        : 'this works only on EC2 with an instance profile'),
    cause,
  });
}

async function getJson(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  method = 'GET',
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, text: await response.text() };
}

function toCredentials(text: string): Credentials | undefined {
  const data = JSON.parse(text) as Record<string, unknown>;
  const { AccessKeyId, SecretAccessKey, Token, Expiration, AccountId } = data;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof Token !== 'string' || typeof Expiration !== 'string')
    return undefined;
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: Token,
    expiration: new Date(Expiration).toISOString(),
    ...(typeof AccountId === 'string' ? { accountId: AccountId } : {}),
  };
}

/** ECS/EKS container credentials: RELATIVE_URI wins over FULL_URI; token file wins over token (§4). */
export async function fetchContainerCredentials(profile: string, deps: Deps): Promise<Credentials> {
  const env = deps.env;
  let url: string;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) url = `http://169.254.170.2${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}`;
  else if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI) url = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  else throw sourceError(profile, 'EcsContainer', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI are not set');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw sourceError(profile, 'EcsContainer', `invalid URL ${url}`, error);
  }
  if (parsed.protocol !== 'https:' && !(ALLOWED_HTTP_HOSTS.has(parsed.hostname) || /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname))) {
    throw sourceError(
      profile,
      'EcsContainer',
      `unsupported host '${parsed.hostname}': only a loopback address or 169.254.170.2/.23 over http`,
    );
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  // Sent verbatim, as botocore does: a token with a line break (a file ending in a newline) is refused
  // there too, so swrole does not quietly make work what the aws CLI rejects (docs/reference/aws-behaviour.md §4).
  let token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  let tokenFrom = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (tokenFile) {
    tokenFrom = tokenFile;
    try {
      token = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      throw sourceError(
        profile,
        'EcsContainer',
        `cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        error,
      );
    }
  }
  if (token) {
    if (/[\r\n]/.test(token)) {
      throw sourceError(
        profile,
        'EcsContainer',
        `the authorization token in ${tokenFrom} contains a line break (the aws CLI refuses it too)`,
        undefined,
        'write the token without a trailing newline (e.g. printf %s "$TOKEN" > FILE)',
      );
    }
    headers.Authorization = token;
  }
  let last: unknown;
  // botocore: 2 s timeout, 3 attempts, 1 s apart (§4); shortened pause.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const { status, text } = await getJson(url, headers, 2000);
      if (status !== 200) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`);
      const creds = toCredentials(text);
      if (!creds) throw new Error('response lacks AccessKeyId/SecretAccessKey/Token/Expiration');
      return creds;
    } catch (error) {
      last = error;
      if (attempt < 2) await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  throw sourceError(profile, 'EcsContainer', last instanceof Error ? last.message : String(last), last);
}

/** EC2 IMDSv2 (§4): token PUT, role name, role credentials; 1 s timeouts, one attempt. */
export async function fetchInstanceCredentials(profile: string, deps: Deps): Promise<Credentials> {
  const env = deps.env;
  if (env.AWS_EC2_METADATA_DISABLED && env.AWS_EC2_METADATA_DISABLED.toLowerCase() !== 'false') {
    throw sourceError(profile, 'Ec2InstanceMetadata', 'AWS_EC2_METADATA_DISABLED is set');
  }
  const base = (
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT ??
    (env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE === 'IPv6' ? 'http://[fd00:ec2::254]' : 'http://169.254.169.254')
  ).replace(/\/+$/, '');
  try {
    const token = await getJson(`${base}/latest/api/token`, { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' }, 1000, 'PUT');
    if (token.status !== 200) throw new Error(`token request answered HTTP ${token.status}`);
    const headers = { 'x-aws-ec2-metadata-token': token.text };
    const roles = await getJson(`${base}/latest/meta-data/iam/security-credentials/`, headers, 1000);
    const role = roles.text.split('\n')[0]?.trim();
    if (roles.status !== 200 || !role) throw new Error('no instance profile role');
    const creds = await getJson(`${base}/latest/meta-data/iam/security-credentials/${role}`, headers, 1000);
    const parsed = creds.status === 200 ? toCredentials(creds.text) : undefined;
    if (!parsed) throw new Error(`role credentials answered HTTP ${creds.status}`);
    return parsed;
  } catch (error) {
    throw sourceError(profile, 'Ec2InstanceMetadata', error instanceof Error ? error.message : String(error), error);
  }
}
