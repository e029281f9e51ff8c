// Issue 9 §6: swrole's STS calls honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY (botocore's rules) and the CA
// bundle (AWS_CA_BUNDLE over the profile's ca_bundle), as the aws CLI does behind corporate proxies and in
// Claude Code's sandbox. The STS endpoint is sts.proxy-only.test, a name that resolves nowhere: only the
// test proxy maps it to the emulator, so a call succeeds only if it went through the proxy, and the proxy's
// log shows it did. Through the built binary; never a secret in the output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { sampleWorld, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { createSandbox, ensureBuilt, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { startTestProxy, type TestProxy } from '../helpers/test-proxy.js';
import { makeSelfSignedCert, type TestCert } from '../helpers/test-cert.js';
import { ROLE_NO_MFA_ARN } from '../helpers/emulator-world.js';

const HOST = 'sts.proxy-only.test';
const PROXY_PASSWORD = 'pr0xy-s3cret-pw';

let emu: EmulatorHandle;
let emuTls: EmulatorHandle;
let proxy: TestProxy;
let authProxy: TestProxy;
let trusted: TestCert;
let other: TestCert;
let certDir: string;
let box: Sandbox;
let httpEndpoint: string;
let httpsEndpoint: string;

before(async () => {
  ensureBuilt();
  certDir = mkdtempSync(join(tmpdir(), 'swrole-certs-'));
  trusted = makeSelfSignedCert(certDir, HOST, 'trusted');
  // Same name, another key: a bundle that does not hold the emulator's certificate.
  other = makeSelfSignedCert(certDir, HOST, 'other');
  emu = await startEmulator({ world: sampleWorld() });
  emuTls = await startEmulator({ world: sampleWorld(), tls: { key: trusted.key, cert: trusted.cert } });
  proxy = await startTestProxy({ hosts: { [HOST]: '127.0.0.1' } });
  authProxy = await startTestProxy({ hosts: { [HOST]: '127.0.0.1' }, auth: { user: 'agent', password: PROXY_PASSWORD } });
  httpEndpoint = emu.url.replace('127.0.0.1', HOST);
  httpsEndpoint = emuTls.url.replace('127.0.0.1', HOST);
  box = createSandbox('http://unused.invalid');
  appendFileSync(
    box.configFile,
    `\n[profile tls]\nrole_arn = ${ROLE_NO_MFA_ARN}\nsource_profile = base\nregion = us-east-1\nca_bundle = ${trusted.certFile}\n`,
  );
});
after(async () => {
  await Promise.all([emu.close(), emuTls.close(), proxy.close(), authProxy.close()]);
  box.cleanup();
  rmSync(certDir, { recursive: true, force: true });
});

interface Row {
  name: string;
  /** Added to the sandbox env (AWS_ENDPOINT_URL_STS included); functions because URLs exist only after before(). */
  env: () => Record<string, string>;
  profile?: string;
  /** 0, or the exit code and SwroleError code expected. */
  expect: { exit: 0 } | { exit: number; code: string; says?: RegExp };
  /** Which proxy must log a request for the endpoint (and with which method), or none at all. */
  via: { proxy: () => TestProxy; method: 'CONNECT' | 'FORWARD'; status: number } | 'direct';
}

const http = () => ({ AWS_ENDPOINT_URL_STS: httpEndpoint });
const https = () => ({ AWS_ENDPOINT_URL_STS: httpsEndpoint });
const withAuth = (url: string, password = PROXY_PASSWORD) => url.replace('http://', `http://agent:${password}@`);

const ROWS: Row[] = [
  {
    name: 'HTTP_PROXY: an http endpoint only the proxy can resolve (forwarded, absolute-form)',
    env: () => ({ ...http(), HTTP_PROXY: proxy.url }),
    expect: { exit: 0 },
    via: { proxy: () => proxy, method: 'FORWARD', status: 200 },
  },
  {
    name: 'without a proxy the same endpoint does not resolve: E_STS_UNREACHABLE',
    env: http,
    expect: { exit: 4, code: 'E_STS_UNREACHABLE', says: /ENOTFOUND[\s\S]*hint: .*whether this network needs a proxy/ },
    via: 'direct',
  },
  {
    name: 'NO_PROXY naming the domain goes direct, and fails',
    env: () => ({ ...http(), HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,.proxy-only.test' }),
    expect: { exit: 4, code: 'E_STS_UNREACHABLE' },
    via: 'direct',
  },
  {
    name: 'http_proxy (lowercase) wins over HTTP_PROXY, as in botocore',
    env: () => ({ ...http(), HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: proxy.url }),
    expect: { exit: 0 },
    via: { proxy: () => proxy, method: 'FORWARD', status: 200 },
  },
  {
    name: 'HTTPS_PROXY + AWS_CA_BUNDLE: https endpoint through a CONNECT tunnel, certificate checked',
    env: () => ({ ...https(), HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: trusted.certFile }),
    expect: { exit: 0 },
    via: { proxy: () => proxy, method: 'CONNECT', status: 200 },
  },
  {
    name: 'HTTPS_PROXY without the CA bundle: E_STS_TLS naming AWS_CA_BUNDLE',
    env: () => ({ ...https(), HTTPS_PROXY: proxy.url }),
    expect: {
      exit: 4,
      code: 'E_STS_TLS',
      says: /TLS with STS at https:\/\/sts\.proxy-only\.test:\d+ via proxy http:\/\/127\.0\.0\.1:\d+ failed[\s\S]*AWS_CA_BUNDLE/,
    },
    via: { proxy: () => proxy, method: 'CONNECT', status: 200 },
  },
  {
    name: "the profile's ca_bundle is used",
    profile: 'tls',
    env: () => ({ ...https(), HTTPS_PROXY: proxy.url }),
    expect: { exit: 0 },
    via: { proxy: () => proxy, method: 'CONNECT', status: 200 },
  },
  {
    name: "AWS_CA_BUNDLE wins over the profile's ca_bundle",
    profile: 'tls',
    env: () => ({ ...https(), HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: other.certFile }),
    expect: { exit: 4, code: 'E_STS_TLS', says: /other-cert\.pem \(from AWS_CA_BUNDLE\)/ },
    via: { proxy: () => proxy, method: 'CONNECT', status: 200 },
  },
  {
    name: 'proxy credentials in HTTPS_PROXY are sent (CONNECT)',
    env: () => ({ ...https(), HTTPS_PROXY: withAuth(authProxy.url), AWS_CA_BUNDLE: trusted.certFile }),
    expect: { exit: 0 },
    via: { proxy: () => authProxy, method: 'CONNECT', status: 200 },
  },
  {
    name: 'proxy credentials in HTTP_PROXY are sent (forwarded)',
    env: () => ({ ...http(), HTTP_PROXY: withAuth(authProxy.url) }),
    expect: { exit: 0 },
    via: { proxy: () => authProxy, method: 'FORWARD', status: 200 },
  },
  {
    name: 'a wrong proxy password: E_STS_PROXY (407), the password never printed',
    env: () => ({ ...https(), HTTPS_PROXY: withAuth(authProxy.url, 'wrong-pw-XYZ'), AWS_CA_BUNDLE: trusted.certFile }),
    expect: { exit: 4, code: 'E_STS_PROXY', says: /HTTP 407[\s\S]*hint: .*wants credentials/ },
    via: { proxy: () => authProxy, method: 'CONNECT', status: 407 },
  },
  {
    name: 'no proxy credentials on an http endpoint: E_STS_PROXY (407 from the forwarding proxy)',
    env: () => ({ ...http(), HTTP_PROXY: authProxy.url }),
    expect: { exit: 4, code: 'E_STS_PROXY', says: /HTTP 407/ },
    via: { proxy: () => authProxy, method: 'FORWARD', status: 407 },
  },
  {
    name: 'an unreadable AWS_CA_BUNDLE is a config error before any call',
    env: () => ({ ...https(), HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: join(certDir, 'missing.pem') }),
    expect: { exit: 3, code: 'E_CA_BUNDLE', says: /missing\.pem \(from AWS_CA_BUNDLE\) cannot be read/ },
    via: 'direct',
  },
  {
    name: 'a proxy URL of an unsupported kind is a config error that does not echo it',
    env: () => ({ ...https(), HTTPS_PROXY: 'socks5://agent:wrong-pw-XYZ@127.0.0.1:1080' }),
    expect: { exit: 3, code: 'E_PROXY_URL', says: /HTTPS_PROXY is not a proxy URL/ },
    via: 'direct',
  },
];

describe('issue 9 §6: STS through HTTP(S)_PROXY / NO_PROXY, with AWS_CA_BUNDLE / ca_bundle', () => {
  for (const row of ROWS) {
    it(row.name, async () => {
      const logs = [proxy.log.length, authProxy.log.length];
      const calls = emu.calls().length + emuTls.calls().length;
      const r = await runSwrole(
        ['process', row.profile ?? 'nomfa', '--no-cache', '--debug'],
        { ...box.env, ...row.env() },
        { timeoutMs: 30_000 },
      );
      const fresh = [...proxy.log.slice(logs[0]), ...authProxy.log.slice(logs[1])];
      if (row.expect.exit === 0) {
        assert.equal(r.code, 0, r.stderr);
        assert.match((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);
        assert.equal(emu.calls().length + emuTls.calls().length, calls + 1, 'one STS call reached the emulator');
      } else {
        const expect = row.expect as { exit: number; code: string; says?: RegExp };
        assert.equal(r.code, expect.exit, r.stderr);
        assert.match(r.stderr, new RegExp(`code: ${expect.code}\\b`));
        if (expect.says) assert.match(r.stderr, expect.says);
        assert.equal(r.stdout, '');
        assert.equal(emu.calls().length + emuTls.calls().length, calls, 'no STS call reached the emulator');
      }
      if (row.via === 'direct') {
        assert.deepEqual(fresh, [], 'the proxy saw nothing');
      } else {
        const via = row.via;
        const own = via.proxy() === proxy ? proxy.log.slice(logs[0]) : authProxy.log.slice(logs[1]);
        assert.ok(
          own.some((e) => e.method === via.method && e.target.startsWith(`${HOST}:`) && e.status === via.status),
          `expected ${via.method} ${HOST} → ${via.status} in the proxy log: ${JSON.stringify(fresh)}`,
        );
      }
      for (const secret of [PROXY_PASSWORD, 'wrong-pw-XYZ', USER_SECRET_ACCESS_KEY]) {
        assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), `a secret was printed: ${r.stderr}`);
      }
    });
  }
});
