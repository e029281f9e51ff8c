// The proxy spec sheet (test/helpers/proxy-env-cases.ts) against botocore itself: for each environment and
// endpoint URL, the proxy botocore's EndpointCreator would use (get_environ_proxies + proxy_url_for) must be
// the one the sheet says, and so the one swrole uses (test/unit/sts-transport.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PROXY_ENV_CASES } from '../helpers/proxy-env-cases.js';
import { resolveProxy } from '../../src/sts/resolve-sts-transport.js';

const ORACLE = `
import json, os, sys
from botocore.utils import get_environ_proxies
from botocore.httpsession import ProxyConfiguration
out = []
for case in json.load(sys.stdin):
    os.environ.clear()
    for name, value in case['env']:
        os.environ[name] = value
    url = case['url']
    out.append(ProxyConfiguration(get_environ_proxies(url)).proxy_url_for(url))
print(json.dumps(out))
`;

test('botocore picks the same proxy as the spec sheet and swrole, for every case', () => {
  // The environment as ordered pairs: the order matters to Python's first pass, as it does to swrole's.
  const input = PROXY_ENV_CASES.map((c) => ({ env: Object.entries(c.env), url: c.url }));
  const r = spawnSync('python3', ['-c', ORACLE], { input: JSON.stringify(input), encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.equal(r.status, 0, r.stderr);
  const botocore = JSON.parse(r.stdout) as Array<string | null>;
  for (const [i, c] of PROXY_ENV_CASES.entries()) {
    assert.equal(botocore[i], c.proxy, `botocore disagrees with the sheet: ${c.name}`);
    assert.equal(resolveProxy(c.env, c.url)?.url ?? null, botocore[i], `swrole disagrees with botocore: ${c.name}`);
  }
});
