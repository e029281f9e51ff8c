// The emulator's SigV4 primitives against the checked vector of docs/reference/aws-behaviour.md §7, and its TOTP
// against the RFC 6238 Appendix B vectors (SHA-1 rows, 8 digits there; 6-digit codes are the suffix).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  parseAuthorization,
  sha256Hex,
  signHeaders,
  signature,
  signingKey,
  stringToSign,
} from '../../emulator/sigv4.js';
import { decodeBase32, hotp, matchTotpStep, totp } from '../../emulator/totp.js';
import { verifySignature } from '../../emulator/verify-signature.js';
import type { Caller } from '../../emulator/identity.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const HEADERS = {
  'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  host: 'sts.us-east-1.amazonaws.com',
  'x-amz-date': '20250102T030405Z',
};
const SIGNED = ['content-type', 'host', 'x-amz-date'];

describe('SigV4 test vector (docs/reference/aws-behaviour.md §7)', () => {
  const creq = canonicalRequest({
    method: 'POST',
    path: '/',
    query: '',
    headers: HEADERS,
    signedHeaders: SIGNED,
    payloadHash: sha256Hex(BODY),
  });
  it('payload hash', () => assert.equal(sha256Hex(BODY), 'ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843'));
  it('canonical request hash', () => assert.equal(sha256Hex(creq), 'e8b4240874da3aaf0489bc05946c8cc6df9a13ea07b3a94fba0ecba070d9693d'));
  it('signing key', () =>
    assert.equal(
      signingKey(SECRET, '20250102', 'us-east-1', 'sts').toString('hex'),
      '8a02ae2fc232853052b19cb8c04b0f0a987287abf899ec2937b8867b43787de9',
    ));
  it('signature', () => {
    const sts = stringToSign('20250102T030405Z', '20250102/us-east-1/sts/aws4_request', creq);
    assert.equal(
      signature(signingKey(SECRET, '20250102', 'us-east-1', 'sts'), sts),
      '68e2aac8f1e773f3708d583b8bd480af67e621023a8846d3af3364f8778216ef',
    );
  });
  it('signHeaders reproduces it, and the verifier accepts exactly that request', () => {
    const { 'x-amz-date': _d, ...rest } = HEADERS;
    const headers = signHeaders({
      method: 'POST',
      path: '/',
      headers: rest,
      body: BODY,
      accessKeyId: 'AKIDEXAMPLE',
      secret: SECRET,
      region: 'us-east-1',
      amzDate: '20250102T030405Z',
    });
    assert.match(
      headers.authorization!,
      /SignedHeaders=content-type;host;x-amz-date, Signature=68e2aac8f1e773f3708d583b8bd480af67e621023a8846d3af3364f8778216ef$/,
    );
    const caller = { kind: 'user', arn: 'arn:aws:iam::123456789012:user/x' } as Caller;
    const lookup = (id: string) => (id === 'AKIDEXAMPLE' ? { secret: SECRET, caller } : null);
    const now = Date.UTC(2025, 0, 2, 3, 4, 5);
    const req = { method: 'POST', path: '/', rawQuery: '', headers, body: Buffer.from(BODY) };
    assert.equal(verifySignature(req, new URLSearchParams(), now + 14 * 60_000, lookup).caller, caller);
    const fails = (r: typeof req, at: number) => {
      try {
        verifySignature(r, new URLSearchParams(), at, lookup);
        return 'OK';
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`;
      }
    };
    assert.match(
      fails(req, now + 16 * 60_000),
      /^SignatureDoesNotMatch: Signature expired: 20250102T030405Z is now earlier than 20250102T030505Z \(20250102T032005Z - 15 min\.\)$/,
    );
    assert.match(fails(req, now - 16 * 60_000), /^SignatureDoesNotMatch: Signature not yet current/);
    assert.match(fails({ ...req, body: Buffer.from(`${BODY}&x=1`) }, now), /^SignatureDoesNotMatch: The request signature we calculated/);
    assert.match(fails({ ...req, headers: { ...headers, host: 'evil.example' } }, now), /^SignatureDoesNotMatch/);
    assert.match(
      fails({ ...req, headers: { ...headers, authorization: headers.authorization!.replace('us-east-1', 'nowhere') } }, now),
      /^SignatureDoesNotMatch: Credential should be scoped to a valid region\. $/,
    );
    assert.match(
      fails({ ...req, headers: { ...headers, authorization: headers.authorization!.replace('AKIDEXAMPLE', 'AKIDUNKNOWN') } }, now),
      /^InvalidClientTokenId/,
    );
    assert.match(
      fails({ ...req, headers: { ...headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE' } }, now),
      /^IncompleteSignature/,
    );
    const { authorization: _a, ...unsigned } = headers;
    assert.match(fails({ ...req, headers: unsigned }, now), /^MissingAuthenticationToken/);
  });
});

describe('SigV4 canonical pieces', () => {
  it('canonical query sorts and re-encodes (space → %20)', () =>
    assert.equal(canonicalQuery('b=2&a=x+y&a=%20z&c'), 'a=%20z&a=x%2By&b=2&c='));
  it('canonical URI normalises and double-encodes', () => assert.equal(canonicalUri('/a/./b/../c d/'), '/a/c%2520d/'));
  it('authorization header tolerates "," and ", "', () => {
    const sig = 'a'.repeat(64);
    assert.deepEqual(
      parseAuthorization(
        `AWS4-HMAC-SHA256 Credential=AK/20250102/us-east-1/sts/aws4_request,SignedHeaders=host;x-amz-date,Signature=${sig}`,
      )?.signedHeaders,
      ['host', 'x-amz-date'],
    );
    assert.equal(parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/20250102/us-east-1/sts, SignedHeaders=host, Signature=x'), null);
  });
});

describe('TOTP (RFC 6238 Appendix B, SHA-1, seed "12345678901234567890")', () => {
  const seed = Buffer.from('12345678901234567890');
  // base32 of the ASCII seed
  const base32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  for (const [seconds, code8] of [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ] as const) {
    it(`T=${seconds}`, () => {
      assert.equal(hotp(seed, Math.floor(seconds / 30), 8), code8);
      assert.equal(totp(base32, seconds * 1000), code8.slice(2));
    });
  }
  it('base32 decoding matches the seed', () => assert.deepEqual(decodeBase32(base32), seed));
  it('accepts ±1 step and nothing further', () => {
    const t = 1234567890_000;
    assert.equal(matchTotpStep(base32, totp(base32, t - 30_000), t), Math.floor(t / 30_000) - 1);
    assert.equal(matchTotpStep(base32, totp(base32, t + 30_000), t), Math.floor(t / 30_000) + 1);
    assert.equal(matchTotpStep(base32, totp(base32, t - 90_000), t), null);
  });
});
