// Load: 200 concurrent SigV4-signed calls through the real SDK without an error, and 250 sequential ones on
// one keep-alive connection. Their latency (median < 5 ms) is measured by `npm run bench` (bench/emulator-latency.ts).
import '../helpers/silence-sdk-node-warning.js';
import assert from 'node:assert/strict';
import { Agent as HttpAgent } from 'node:http';
import { after, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { USER_ARN, userCredentials } from '../helpers/emulator-world.js';

let emu: EmulatorHandle;
let client: STSClient;
const agent = new HttpAgent({ keepAlive: true, maxSockets: 256 });

useEmulatorSandbox(
  (fixture) => {
    emu = fixture.emu;
    client = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: userCredentials(),
      maxAttempts: 1,
      // Handler options given as a plain object (SDK v3 builds its NodeHttpHandler from them).
      requestHandler: { httpAgent: agent },
    });
  },
  { build: false },
);
after(() => {
  client.destroy();
  agent.destroy();
});

it('200 concurrent signed requests all succeed', async () => {
  const results = await Promise.allSettled(Array.from({ length: 200 }, () => client.send(new GetCallerIdentityCommand({}))));
  const failed = results.filter((r) => r.status === 'rejected');
  assert.equal(
    failed.length,
    0,
    failed
      .map((r) => String((r as PromiseRejectedResult).reason))
      .slice(0, 3)
      .join('\n'),
  );
  assert.ok(results.every((r) => r.status === 'fulfilled' && r.value.Arn === USER_ARN));
  assert.equal(emu.counts().GetCallerIdentity, 200);
  assert.ok(emu.calls().every((c) => c.code === 'OK'));
});

it('250 sequential keep-alive calls all succeed', async () => {
  const before = emu.counts().GetCallerIdentity ?? 0;
  for (let i = 0; i < 250; i++) assert.equal((await client.send(new GetCallerIdentityCommand({}))).Arn, USER_ARN);
  assert.equal((emu.counts().GetCallerIdentity ?? 0) - before, 250);
  assert.ok(emu.calls().every((c) => c.code === 'OK'));
});
