// C7 (unit): which requests the credential server answers, as a spec sheet, and the constant-time token comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest, type IncomingRequest } from '../../src/server/check-request.js';
import { constantTimeEqual } from '../../src/server/constant-time-equal.js';

const expected = { host: '127.0.0.1:41234', path: '/k9Xz-random/credentials', token: 'tok3n-tok3n-tok3n-tok3n-tok3n-tok3n-1234' };
const good: IncomingRequest = {
  method: 'GET',
  url: expected.path,
  host: expected.host,
  authorization: expected.token,
  remoteAddress: '127.0.0.1',
};

const cases: Array<[string, Partial<IncomingRequest>, number | undefined, string | undefined]> = [
  ['a client of the endpoint', {}, undefined, undefined],
  ['a query string is ignored', { url: `${expected.path}?x=1` }, undefined, undefined],
  ['IPv4-mapped loopback peer', { remoteAddress: '::ffff:127.0.0.1' }, undefined, undefined],
  ['a peer that is not loopback', { remoteAddress: '10.0.0.7' }, 403, 'not-loopback'],
  ['no peer address', { remoteAddress: undefined }, 403, 'not-loopback'],
  ['Host of a rebinding page', { host: 'evil.example:41234' }, 403, 'host'],
  ['Host localhost (not what was handed out)', { host: 'localhost:41234' }, 403, 'host'],
  ['Host without the port', { host: '127.0.0.1' }, 403, 'host'],
  ['no Host header', { host: undefined }, 403, 'host'],
  ['POST', { method: 'POST' }, 405, 'method'],
  ['OPTIONS (a CORS preflight)', { method: 'OPTIONS' }, 405, 'method'],
  ['HEAD', { method: 'HEAD' }, 405, 'method'],
  ['POST without a token: 405 before the token is looked at', { method: 'POST', authorization: undefined }, 405, 'method'],
  ['no Authorization header', { authorization: undefined }, 403, 'token'],
  ['empty Authorization header', { authorization: '' }, 403, 'token'],
  ['a wrong token', { authorization: `${expected.token.slice(0, -1)}5` }, 403, 'token'],
  ['Bearer prefix (clients send the token verbatim)', { authorization: `Bearer ${expected.token}` }, 403, 'token'],
  ['the right token on another path', { url: '/credentials' }, 404, 'path'],
  ['the right token on the root', { url: '/' }, 404, 'path'],
  ['a wrong token on another path: 403, the path is not probed', { url: '/', authorization: 'x' }, 403, 'token'],
];

for (const [name, change, status, reason] of cases) {
  test(`C7 server request check: ${name} → ${status ?? 'answered'}`, () => {
    const refusal = checkRequest({ ...good, ...change }, expected);
    assert.equal(refusal?.status, status);
    assert.equal(refusal?.reason, reason);
  });
}

test('C7 constant-time token comparison: equal only for the same string, any lengths, never for an empty expected token', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abd', 'abc'), false);
  assert.equal(constantTimeEqual('ab', 'abc'), false);
  assert.equal(constantTimeEqual('abcd', 'abc'), false);
  assert.equal(constantTimeEqual('', 'abc'), false);
  assert.equal(constantTimeEqual('', ''), false);
  assert.equal(constantTimeEqual('é', 'é'), true);
  assert.equal(constantTimeEqual('x'.repeat(10_000), 'x'.repeat(10_000)), true);
  // The comparison sees fixed-size digests: the presented length never shortcuts it (timingSafeEqual would throw).
  assert.doesNotThrow(() => constantTimeEqual('a', 'a much longer expected token value'));
});
