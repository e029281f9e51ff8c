// resolve-sts-transport.ts as a spec sheet: which proxy (botocore's rules, test/helpers/proxy-env-cases.ts)
// and which CA bundle (AWS_CA_BUNDLE > profile ca_bundle > REQUESTS_CA_BUNDLE) swrole uses for STS.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayProxy, resolveCaBundle, resolveProxy } from '../../src/sts/resolve-sts-transport.js';
import { PROXY_ENV_CASES } from '../helpers/proxy-env-cases.js';

describe('resolveProxy (botocore get_environ_proxies + ProxyConfiguration.proxy_url_for)', () => {
  for (const c of PROXY_ENV_CASES) {
    it(c.name, () => assert.equal(resolveProxy(c.env, c.url)?.url ?? null, c.proxy));
  }
  it('says which variable the proxy came from', () => {
    assert.equal(resolveProxy({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:1' }, 'https://x')?.from, 'https_proxy');
  });
});

describe('displayProxy never shows credentials', () => {
  const rows: Array<[string, string]> = [
    ['http://user:s3cret@proxy.example:3128', 'http://proxy.example:3128'],
    ['http://proxy.example', 'http://proxy.example'],
    ['https://u:p@[::1]:8443', 'https://[::1]:8443'],
    ['http://us er:s3cret@', '(the proxy URL in HTTPS_PROXY)'],
  ];
  for (const [url, shown] of rows) {
    it(`${url.replace(/:[^:@/]*@/, ':***@')} → ${shown}`, () => {
      const out = displayProxy(url, 'HTTPS_PROXY');
      assert.equal(out, shown);
      assert.ok(!out.includes('s3cret'));
    });
  }
});

describe('resolveCaBundle (botocore: ca_bundle variable, then REQUESTS_CA_BUNDLE)', () => {
  const rows: Array<[string, Record<string, string>, string | undefined, string | null, string | null]> = [
    ['nothing set: the default roots', {}, undefined, null, null],
    ['AWS_CA_BUNDLE', { AWS_CA_BUNDLE: '/env.pem' }, undefined, '/env.pem', 'AWS_CA_BUNDLE'],
    ['profile ca_bundle', {}, '/profile.pem', '/profile.pem', 'ca_bundle'],
    ['AWS_CA_BUNDLE over the profile', { AWS_CA_BUNDLE: '/env.pem' }, '/profile.pem', '/env.pem', 'AWS_CA_BUNDLE'],
    ['the profile over REQUESTS_CA_BUNDLE', { REQUESTS_CA_BUNDLE: '/req.pem' }, '/profile.pem', '/profile.pem', 'ca_bundle'],
    ['REQUESTS_CA_BUNDLE last', { REQUESTS_CA_BUNDLE: '/req.pem' }, undefined, '/req.pem', 'REQUESTS_CA_BUNDLE'],
    // botocore would stop verifying on an empty AWS_CA_BUNDLE; swrole treats empty as unset.
    ['an empty AWS_CA_BUNDLE is unset, never "do not verify"', { AWS_CA_BUNDLE: '' }, '/profile.pem', '/profile.pem', 'ca_bundle'],
  ];
  for (const [name, env, profile, path, from] of rows) {
    it(name, () => {
      const out = resolveCaBundle(env, profile);
      assert.equal(out?.path ?? null, path);
      assert.equal(out?.from ?? null, from);
    });
  }
});
