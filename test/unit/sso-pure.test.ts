// The pure parts of IAM Identity Center support (issue 11) against the vectors captured from the real clients
// (docs/reference/sso-keyring-console.md A.2, A.4, A.6): PKCE, the token and registration cache names, the CLI's
// token text and time format, and when no browser can be opened (the device flow is then used).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeChallenge, createCodeVerifier, createState } from '../../src/sso/pkce.js';
import { cliRoleCacheKey, registrationCacheKey, tokenCacheKey } from '../../src/sso/sso-cache-names.js';
import { formatSsoTime, parseSsoTime, parseSsoToken, renderSsoToken } from '../../src/sso/sso-token-file.js';
import { whyNoBrowser } from '../../src/sso/can-open-browser.js';

const START_URL = 'https://d-1234567890.awsapps.com/start';

describe('IAM Identity Center: pure parts against the reference vectors (issue 11)', () => {
  it('PKCE: the S256 challenge of the captured verifier; 64-character verifiers of the unreserved set; uuid4 state', () => {
    assert.equal(
      codeChallenge('IFto_-Vv4uaTJma1JEiVZ2tlDtUZ.ijA3W9dym4y~38LGiazhV1UaE.CrTu_5QtF'),
      'kkuU68STXWd23kuXuDksd-rsVg26eJDhuwJnrCm7zZU',
    );
    const verifiers = new Set(Array.from({ length: 20 }, () => createCodeVerifier()));
    assert.equal(verifiers.size, 20);
    for (const v of verifiers) assert.match(v, /^[A-Za-z0-9\-._~]{64}$/);
    assert.match(createState(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('cache names: sha1 of the session name or of the start URL (verbatim); the registration key; the CLI role-credential key', () => {
    assert.equal(tokenCacheKey('corp', START_URL), 'ee0bfd2552fbd840c02cc48b6e823320543c450f');
    assert.equal(tokenCacheKey(null, START_URL), '7487b5b67d5fa1132cf33fa93ae51ef38cc37752');
    assert.notEqual(tokenCacheKey(null, `${START_URL}/`), tokenCacheKey(null, START_URL), 'no normalisation');
    assert.equal(registrationCacheKey(START_URL, 'us-east-1', ['sso:account:access'], 'corp'), 'bc8a1afdb0f5cdc2c789b8a6cd51898e2be3c37c');
    assert.equal(registrationCacheKey(START_URL, 'us-east-1', null, null), '365414a68be7c9bfc776c660981dbdbd942acea4');
    assert.equal(cliRoleCacheKey('111111111111', 'Admin', 'corp', START_URL), 'd7467b2ce0aaa46d5fc3753e3bbaaf372cba5c68');
    assert.equal(cliRoleCacheKey('222222222222', 'ReadOnly', null, START_URL), 'b497b9cdc8509d17b19e7562ae1c349877df2119');
  });

  it("token text: the CLI's field order, json.dumps separators and …Z seconds; the JS SDK's shape is read too", () => {
    const token = {
      startUrl: START_URL,
      region: 'us-east-1',
      accessToken: 'at',
      expiresAt: formatSsoTime(Date.UTC(2026, 10, 26, 14, 21, 45, 285)),
      clientId: 'cid',
      clientSecret: 'cs',
      registrationExpiresAt: '2027-02-24T06:21:45Z',
      refreshToken: 'rt',
    };
    assert.equal(token.expiresAt, '2026-11-26T14:21:45Z');
    assert.equal(
      renderSsoToken(token),
      '{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "at", "expiresAt": "2026-11-26T14:21:45Z", ' +
        '"clientId": "cid", "clientSecret": "cs", "registrationExpiresAt": "2027-02-24T06:21:45Z", "refreshToken": "rt"}',
    );
    const sdk = parseSsoToken(JSON.stringify({ ...token, expiresAt: '2026-11-26T14:22:26.285Z' }, null, 2));
    assert.equal(sdk?.accessToken, 'at');
    assert.equal(parseSsoTime(sdk!.expiresAt), Date.UTC(2026, 10, 26, 14, 22, 26, 285));
    assert.equal(parseSsoToken('{"accessToken": "at"}'), undefined, 'botocore needs accessToken and expiresAt');
  });

  it('no browser (then the device code): SSH, CI or a cloud shell, a container, Linux without a display; a browser the user set wins', () => {
    const none = () => false;
    const desktop = { DISPLAY: ':0' };
    assert.equal(whyNoBrowser(desktop, 'linux', none), undefined);
    assert.equal(whyNoBrowser({}, 'darwin', none), undefined);
    assert.equal(whyNoBrowser({ ...desktop, SSH_CONNECTION: '10.0.0.1 22 10.0.0.2 22' }, 'linux', none), 'an SSH session');
    assert.equal(whyNoBrowser({ ...desktop, CI: 'true' }, 'linux', none), 'CI or a cloud shell');
    assert.equal(whyNoBrowser({ ...desktop, AWS_EXECUTION_ENV: 'CloudShell' }, 'linux', none), 'CI or a cloud shell');
    assert.equal(
      whyNoBrowser(desktop, 'linux', (p) => p === '/.dockerenv'),
      'a container',
    );
    assert.equal(whyNoBrowser({}, 'linux', none), 'no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    assert.equal(whyNoBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', none), undefined);
    assert.equal(whyNoBrowser({ SSH_TTY: '/dev/pts/1', BROWSER: 'w3m' }, 'linux', none), undefined);
    assert.equal(
      whyNoBrowser({ CI: '1', SWROLE_BROWSER: 'my-browser' }, 'linux', () => true),
      undefined,
    );
  });
});
