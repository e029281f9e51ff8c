// The STS emulator's loopback latency through the real SDK (moved here from
// test/integration/emulator-load.test.ts, which keeps the functional half: every call answered).
// GetCallerIdentity, sequential, keep-alive, after 50 warm-up calls. Budget: median under 5 ms.
import { Agent as HttpAgent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { state as sdkWarningState } from '@aws-sdk/core/client';
import { startEmulator } from '../emulator/start-emulator.js';
import { sampleWorld, userCredentials } from '../test/helpers/emulator-world.js';

// The SDK's Node 20 support warning is not ours to print (swrole silences it the same way: src/aws-sdk/sdk-clients.ts).
sdkWarningState.warningEmitted = true;

export const EMULATOR_MEDIAN_BUDGET_MS = 5;

export async function benchEmulatorLatency(): Promise<{ line: string; ok: boolean }> {
  const emu = await startEmulator({ world: sampleWorld() });
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  const client = new STSClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: userCredentials(),
    maxAttempts: 1,
    requestHandler: { httpAgent: agent },
  });
  try {
    for (let i = 0; i < 50; i++) await client.send(new GetCallerIdentityCommand({}));
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      await client.send(new GetCallerIdentityCommand({}));
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const median = samples[100]!;
    const ok = median < EMULATOR_MEDIAN_BUDGET_MS;
    return {
      ok,
      line:
        `emulator GetCallerIdentity via SDK v3, keep-alive: median ${median.toFixed(2)} ms, p90 ${samples[180]!.toFixed(2)} ms (n=200)  ` +
        `${ok ? 'ok' : 'OVER'} (budget: median < ${EMULATOR_MEDIAN_BUDGET_MS} ms)`,
    };
  } finally {
    client.destroy();
    agent.destroy();
    await emu.close();
  }
}
