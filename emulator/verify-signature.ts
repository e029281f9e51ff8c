// Server-side SigV4 verification, in the order of docs/reference/aws-behaviour.md §7. Returns the verified caller.
import { timingSafeEqual } from 'node:crypto';
import {
  amzDate,
  canonicalRequest,
  parseAuthorization,
  parseCredential,
  sha256Hex,
  signature,
  signingKey,
  stringToSign,
  type ParsedAuthorization,
} from './sigv4.js';
import { MSG, StsError, expiredToken, invalidClientTokenId, signatureMismatch } from './sts-error.js';
import type { Caller, Session } from './identity.js';

export interface SignedRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type KeyLookup = (accessKeyId: string) => { secret: string; caller: Caller; session?: Session } | null;

const FIFTEEN_MIN_MS = 15 * 60 * 1000;
// Real regions look like us-east-1, eu-west-3, us-gov-west-1, cn-north-1; the emulator has no host to infer one from.
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

const header = (h: SignedRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

function parseAmzDate(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}

/** Constant-time string comparison (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifySignature(
  req: SignedRequest,
  query: URLSearchParams,
  nowMs: number,
  lookup: KeyLookup,
  /** The SigV4 service the credential scope must name: `sts`, or `iam` for the IAM Query API. */
  service: 'sts' | 'iam' = 'sts',
): { caller: Caller; session?: Session; accessKeyId: string } {
  const presigned = query.has('X-Amz-Algorithm');
  let auth: ParsedAuthorization | null;
  let amz: string | undefined;
  let token: string | undefined;
  if (presigned) {
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new StsError('IncompleteSignature', 400, "Unsupported AWS 'algorithm'");
    auth = parseCredential(query.get('X-Amz-Credential') ?? '', query.get('X-Amz-SignedHeaders') ?? '', query.get('X-Amz-Signature') ?? '');
    amz = query.get('X-Amz-Date') ?? undefined;
    token = query.get('X-Amz-Security-Token') ?? undefined;
  } else {
    const value = header(req.headers, 'authorization');
    if (value === undefined) throw new StsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
    auth = parseAuthorization(value);
    amz = header(req.headers, 'x-amz-date') ?? header(req.headers, 'date');
    token = header(req.headers, 'x-amz-security-token');
  }
  if (!auth || !/^[0-9a-f]{64}$/.test(auth.signature))
    throw new StsError(
      'IncompleteSignature',
      400,
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
    );
  if (!amz)
    throw new StsError('IncompleteSignature', 400, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const signedAt = parseAmzDate(amz) ?? Date.parse(amz);
  if (Number.isNaN(signedAt)) throw new StsError('IncompleteSignature', 400, `Date must be in ISO-8601 'basic format'. Got '${amz}'.`);
  const isoDate = amzDate(signedAt);

  // 2. Scope.
  if (auth.terminator !== 'aws4_request')
    throw signatureMismatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `);
  if (auth.date !== isoDate.slice(0, 8))
    throw signatureMismatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${isoDate.slice(0, 8)}', from '${isoDate}'.`,
    );
  if (!REGION.test(auth.region)) throw signatureMismatch(MSG.region);
  if (auth.service !== service) throw signatureMismatch(`Credential should be scoped to correct service: '${service}'. `);
  const signed = auth.signedHeaders;
  if (!signed.includes('host') || signed.some((h, i) => h !== h.toLowerCase() || (i > 0 && signed[i - 1]! >= h))) {
    throw signatureMismatch();
  }
  if (!presigned && header(req.headers, 'x-amz-date') !== undefined && !signed.includes('x-amz-date')) throw signatureMismatch();

  // 4 before 3: a dead session answers ExpiredToken even when the client clock lags the emulator's
  // advanced clock (tests move the clock forward past expiry; AWS checks the token independently).
  const found = lookup(auth.accessKeyId);
  if (!found) throw invalidClientTokenId();
  if (found.session) {
    if (token === undefined || !safeEqual(token, found.session.token)) throw invalidClientTokenId();
    if (!presigned && !signed.includes('x-amz-security-token')) throw signatureMismatch();
    if (nowMs >= found.session.expiresMs) throw expiredToken();
  } else if (token !== undefined) {
    throw invalidClientTokenId();
  }

  // 3. Clock window.
  if (signedAt < nowMs - FIFTEEN_MIN_MS)
    throw signatureMismatch(
      `Signature expired: ${isoDate} is now earlier than ${amzDate(nowMs - FIFTEEN_MIN_MS)} (${amzDate(nowMs)} - 15 min.)`,
    );
  if (signedAt > nowMs + FIFTEEN_MIN_MS)
    throw signatureMismatch(
      `Signature not yet current: ${isoDate} is still later than ${amzDate(nowMs + FIFTEEN_MIN_MS)} (${amzDate(nowMs)} + 15 min.)`,
    );

  // 5-7. Signature over exactly the headers the client chose.
  const payloadHash = sha256Hex(req.body);
  const declared = header(req.headers, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== payloadHash) throw signatureMismatch();
  const lowered: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) lowered[k.toLowerCase()] = v;
  const creq = canonicalRequest({
    method: req.method,
    path: req.path,
    query: req.rawQuery,
    headers: lowered,
    signedHeaders: signed,
    payloadHash,
    excludeQuery: presigned ? new Set(['X-Amz-Signature']) : new Set(),
  });
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const expected = signature(signingKey(found.secret, auth.date, auth.region, auth.service), stringToSign(amz, scope, creq));
  if (!safeEqual(expected, auth.signature)) throw signatureMismatch();
  const accessKeyId = auth.accessKeyId;
  return found.session ? { caller: found.caller, session: found.session, accessKeyId } : { caller: found.caller, accessKeyId };
}
