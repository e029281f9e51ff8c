// Load: 200 concurrent SigV4-signed calls through the real SDK without an error, and the median
// loopback latency of GetCallerIdentity (sequential, after warm-up, keep-alive).
import assert from 'node:assert/strict';
import { Agent as HttpAgent } from 'node:http';
import { after, before, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { USER_ARN, sampleWorld, userCredentials } from '../helpers/emulator-world.js';

let emu: EmulatorHandle;
let client: STSClient;
const agent = new HttpAgent({ keepAlive: true, maxSockets: 256 });

before(async () => {
  emu = await startEmulator({ world: sampleWorld() });
  client = new STSClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: userCredentials(),
    maxAttempts: 1,
    // Handler options given as a plain object (SDK v3 builds its NodeHttpHandler from them).
    requestHandler: { httpAgent: agent },
  });
});
after(async () => {
  client.destroy();
  agent.destroy();
  await emu.close();
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

it('median GetCallerIdentity latency on loopback < 5 ms', async () => {
  for (let i = 0; i < 50; i++) await client.send(new GetCallerIdentityCommand({}));
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await client.send(new GetCallerIdentityCommand({}));
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[100]!;
  process.stdout.write(
    `# emulator GetCallerIdentity via SDK v3, keep-alive: median ${median.toFixed(2)} ms, p90 ${samples[180]!.toFixed(2)} ms (n=200)\n`,
  );
  assert.ok(median < 5, `median ${median.toFixed(2)} ms`);
});
