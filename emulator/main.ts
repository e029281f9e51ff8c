// `node --import tsx emulator/main.ts --world FILE [--port N] [--verbose]`: prints
// `listening on http://127.0.0.1:PORT` first, then serves until killed. --verbose logs one line
// per call (action, caller ARN, result code; never parameters or secrets) on stderr.
import { parseArgs } from 'node:util';
import { startEmulator } from './start-emulator.js';
import { loadWorldFile, WorldError } from './world.js';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { world: { type: 'string' }, port: { type: 'string' }, verbose: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`emulator: ${(error as Error).message}\nusage: emulator/main.ts --world FILE [--port N] [--verbose]\n`);
    return 2;
  }
  if (!values.world) {
    process.stderr.write('emulator: --world FILE is required\nusage: emulator/main.ts --world FILE [--port N] [--verbose]\n');
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`emulator: --port must be 0..65535, got "${values.port}"\n`);
    return 2;
  }
  try {
    const world = loadWorldFile(values.world);
    const verbose = values.verbose === true;
    const handle = await startEmulator({
      world,
      port,
      onCall: verbose ? (c) => process.stderr.write(`${c.time} ${c.action} ${c.callerArn ?? '-'} ${c.code}\n`) : undefined,
    });
    process.stdout.write(`listening on ${handle.url}\n`);
    const stop = () => {
      void handle.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return -1;
  } catch (error) {
    if (error instanceof WorldError) {
      process.stderr.write(`emulator: ${error.message}\n`);
      return 3;
    }
    process.stderr.write(`emulator: ${(error as Error).message}\n`);
    return 1;
  }
}

const code = await main();
if (code >= 0) process.exitCode = code;
