// Issue 15 "STS can hang swrole forever": an endpoint (or proxy) that accepts and never answers, or answers one
// byte at a time, kept `process`/`login` waiting past 300 s (the SDK's requestTimeout only warned). The built binary
// must give up with exit 4 and E_STS_TIMEOUT within 15 s, say which endpoint it waited for, and print no
// SDK warning and no secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStallingServer, type StallMode, type StallingServer } from '../helpers/stalling-server.js';
import { USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { createSandbox, ensureBuilt, runSwrole, type Sandbox } from '../helpers/swrole-run.js';

/** The bound the issue states. */
const BOUND_MS = 15_000;

const servers = new Map<StallMode, StallingServer>();
let box: Sandbox;

before(async () => {
  ensureBuilt();
  // The trickling servers send a byte every few seconds (the case: every 5 s), so no idle timer fires.
  servers.set('stall', await startStallingServer('stall'));
  servers.set('trickle-headers', await startStallingServer('trickle-headers', 5000));
  servers.set('trickle-body', await startStallingServer('trickle-body', 1000));
  box = createSandbox('http://127.0.0.1:9');
});
after(async () => {
  for (const server of servers.values()) await server.close();
  box.cleanup();
});

const CASES: Array<{ name: string; mode: StallMode; args: string[]; viaProxy?: boolean }> = [
  { name: 'process (AssumeRole), endpoint accepts and never answers', mode: 'stall', args: ['process', 'nomfa'] },
  { name: 'login (GetSessionToken), endpoint accepts and never answers', mode: 'stall', args: ['login', 'a', '--mfa-code', '123456'] },
  { name: 'process, endpoint trickles the headers one byte every 5 s', mode: 'trickle-headers', args: ['process', 'nomfa'] },
  { name: 'process, endpoint sends headers then trickles the body one byte a second', mode: 'trickle-body', args: ['process', 'nomfa'] },
  // The proxy takes the connection and never answers CONNECT (an https endpoint behind HTTPS_PROXY).
  { name: 'process through a proxy that accepts and never answers CONNECT', mode: 'stall', args: ['process', 'nomfa'], viaProxy: true },
];

describe('issue 15: a stalled STS endpoint ends swrole with exit 4 within 15 s', { concurrency: true }, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const server = servers.get(c.mode)!;
      const before = server.connections();
      const env: Record<string, string> = c.viaProxy
        ? { AWS_ENDPOINT_URL_STS: 'https://sts.proxy-only.test', HTTPS_PROXY: server.url }
        : { AWS_ENDPOINT_URL_STS: server.url };
      const r = await runSwrole([...c.args, '--debug'], { ...box.env, ...env }, { timeoutMs: 60_000 });
      console.log(`# measured: ${c.mode}${c.viaProxy ? ' proxy' : ''} ${c.args[0]} → exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
      assert.equal(r.signal, null, `swrole was still running after 60 s and had to be killed: ${r.stderr}`);
      assert.equal(r.code, 4, r.stderr);
      assert.ok(r.ms < BOUND_MS, `took ${r.ms.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
      assert.ok(server.connections() > before, 'swrole never reached the stalling server');
      assert.match(r.stderr, /code: E_STS_TIMEOUT/);
      // The endpoint, or the proxy, that stalled is named (a proxy as scheme://host:port, never with credentials).
      assert.ok(r.stderr.includes(c.viaProxy ? `via proxy ${server.url}` : `at ${server.url}`), `the message names it: ${r.stderr}`);
      assert.match(r.stderr, /hint: .*proxy/);
      assert.equal(r.stdout, '');
      assert.doesNotMatch(r.stderr, /Warning|requestTimeout|NodeVersion/);
      assert.ok(!r.stderr.includes(USER_SECRET_ACCESS_KEY), 'no secret in the output');
    });
  }
});
