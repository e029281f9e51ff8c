// SigV4 primitives (docs/reference/aws-behaviour.md §7): canonical request, string to sign, signing key, signature.
// Pure; used by the verifier and by tests that need to craft signed requests by hand.
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding with the unreserved set A-Za-z0-9-_.~ (space → %20). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLoose(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Normalised path, each segment encoded again (non-S3 services double-encode). */
export function canonicalUri(rawPath: string): string {
  const out: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(uriEncode(uriEncode(decodeLoose(seg))));
  }
  const joined = `/${out.join('/')}`;
  return rawPath.endsWith('/') && out.length > 0 ? `${joined}/` : joined;
}

export function canonicalQuery(rawQuery: string, exclude: ReadonlySet<string> = new Set()): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeLoose(eq < 0 ? part : part.slice(0, eq));
    if (exclude.has(name)) continue;
    const value = eq < 0 ? '' : decodeLoose(part.slice(eq + 1));
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function canonicalHeaderValue(value: string | string[]): string {
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => v.trim().replace(/[ \t]+/g, ' ')).join(',');
}

export interface CanonicalInput {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  signedHeaders: string[];
  payloadHash: string;
  excludeQuery?: ReadonlySet<string>;
}

export function canonicalRequest(input: CanonicalInput): string {
  const lines = input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(input.headers[name] ?? '')}\n`);
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQuery(input.query, input.excludeQuery),
    lines.join(''),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonicalRequestText: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequestText)}`;
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

/** Parse `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (tolerant of `,` vs `, `); null when malformed. */
export function parseAuthorization(header: string): ParsedAuthorization | null {
  const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(header);
  if (!m) return null;
  return parseCredential(m[1]!, m[2]!, m[3]!);
}

export function parseCredential(credential: string, signedHeaders: string, sig: string): ParsedAuthorization | null {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) return null;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, signedHeaders: signedHeaders.split(';'), signature: sig };
}

/** Sign a request the way a client would (tests craft requests with it). Returns the headers to add. */
export function signHeaders(input: {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  secret: string;
  region: string;
  amzDate: string;
  sessionToken?: string;
}): Record<string, string> {
  const headers: Record<string, string> = { ...input.headers, 'x-amz-date': input.amzDate };
  if (input.sessionToken) headers['x-amz-security-token'] = input.sessionToken;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const signed = Object.keys(lower).sort();
  const date = input.amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/sts/aws4_request`;
  const creq = canonicalRequest({
    method: input.method,
    path: input.path,
    query: input.query ?? '',
    headers: lower,
    signedHeaders: signed,
    payloadHash: sha256Hex(input.body),
  });
  const sig = signature(signingKey(input.secret, date, input.region, 'sts'), stringToSign(input.amzDate, scope, creq));
  return {
    ...headers,
    authorization: `${ALGORITHM} Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${sig}`,
  };
}

export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
