/**
 * The IamGateway over IAM's Query protocol (Version 2010-05-08), built from what the STS chunk already carries:
 * SigV4 from @smithy/signature-v4 and swrole's request handler (proxy, CA bundle, timeouts). @aws-sdk/client-iam
 * would add its whole service model (about 280 KB) to the installed package for three calls. Re-exported by
 * sdk-gateway.ts, so it lives in that chunk and is loaded by `keys rotate` only.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from '../domain/credentials.js';
import type { IamGateway } from './iam-gateway.js';
import type { StsTransport } from './resolve-sts-transport.js';
import type * as AwsSdk from '../aws-sdk/sdk-clients.js';
import { createStsRequestHandler } from './create-request-handler.js';

const VERSION = '2010-05-08';

/** node:crypto as the hash SigV4 wants (an HMAC when given a secret). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Buffer =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? Buffer.from(d) : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** An IAM error answer, named as IAM names it (`LimitExceeded`, `NoSuchEntity`, `InvalidClientTokenId`, …). */
export class IamCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1] as string) : undefined;
};
const members = (xml: string): string[] => [...xml.matchAll(/<member>([\s\S]*?)<\/member>/g)].map((m) => m[1] as string);

function readBody(body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = body as IncomingMessage;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (text.length < 1 << 20) text += chunk;
    });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

export function createSdkIamGateway(o: {
  url: string;
  clockOffsetMs: number;
  transport: StsTransport;
  sdk: Pick<typeof AwsSdk, 'NodeHttpHandler' | 'SignatureV4'>;
}): IamGateway {
  const handler = createStsRequestHandler(o.url, o.transport, { connectMs: 3000, requestMs: 10_000 }, o.sdk);
  const endpoint = new URL(o.url);
  async function call(caller: Credentials, action: string, params: Record<string, string> = {}): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: VERSION, ...params }).toString();
    const signer = new o.sdk.SignatureV4({
      service: 'iam',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey, sessionToken: caller.sessionToken },
    });
    const request = {
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname || '/',
      query: {},
      headers: { host: endpoint.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } as Record<string, string>,
      body,
    };
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() + o.clockOffsetMs) });
    const { response } = await handler.handle(signed as Parameters<typeof handler.handle>[0]);
    const text = await readBody(response.body);
    if (response.statusCode >= 300) {
      throw new IamCallError(
        tag(text, 'Code') ?? `HTTP${response.statusCode}`,
        tag(text, 'Message') ?? `HTTP ${response.statusCode}`,
        response.statusCode,
      );
    }
    return text;
  }
  return {
    async listAccessKeys(caller) {
      const xml = await call(caller, 'ListAccessKeys');
      const keys = members(xml).map((m) => ({ accessKeyId: tag(m, 'AccessKeyId') ?? '', status: tag(m, 'Status') ?? '' }));
      return { userName: members(xml).map((m) => tag(m, 'UserName'))[0], keys };
    },
    async createAccessKey(caller) {
      const xml = await call(caller, 'CreateAccessKey');
      const accessKeyId = tag(xml, 'AccessKeyId');
      const secretAccessKey = tag(xml, 'SecretAccessKey');
      if (!accessKeyId || !secretAccessKey) throw new Error('IAM returned no access key');
      return { userName: tag(xml, 'UserName') ?? '', accessKeyId, secretAccessKey };
    },
    async deleteAccessKey(caller, accessKeyId) {
      await call(caller, 'DeleteAccessKey', { AccessKeyId: accessKeyId });
    },
  };
}
