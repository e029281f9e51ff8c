// The shared fixture of the e2e, integration and interop tests: the project's STS emulator on loopback and a
// throwaway sandbox (temp dir, HOME, state dir, config and credentials files, env pointing at the emulator),
// opened before a file's (or a describe's) tests and closed after them. One place instead of a before/after
// pair in every file.
import { after, before } from 'node:test';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../emulator/start-emulator.js';
import { sampleWorld } from './emulator-world.js';
import { createSandbox, ensureBuilt, type Sandbox } from './swrole-run.js';

export interface EmulatorSandbox {
  emu: EmulatorHandle;
  box: Sandbox;
}

export interface EmulatorSandboxOptions extends Partial<EmulatorOptions> {
  /** The sandbox's AWS config and credentials (default: the sample profiles and keys, see createSandbox). */
  config?: string;
  credentials?: string;
  /** Build dist/ if it is missing (default true: most users of the fixture spawn the built binary). */
  build?: boolean;
}

/**
 * Registers the fixture on the current suite (the file, or the describe it is called in): before its tests, an
 * emulator (the sample world unless `world` says otherwise) and a sandbox on it, handed to `ready` (which may go
 * on to set up more, e.g. log in); after them, both closed. Setup that needs the fixture goes in `ready`, not in a
 * later `before`: at a file's top level node 20 starts each `before` hook as it is registered, without waiting for
 * the ones before it (inside a describe they run in order). `after` hooks run in order: the fixture's first.
 */
export function useEmulatorSandbox(ready: (fixture: EmulatorSandbox) => unknown, options: EmulatorSandboxOptions = {}): void {
  const { config, credentials, build = true, ...emulator } = options;
  let fixture: EmulatorSandbox | undefined;
  before(async () => {
    if (build) ensureBuilt();
    const emu = await startEmulator({ world: sampleWorld(), ...emulator });
    fixture = { emu, box: createSandbox(emu.url, config, credentials) };
    await ready(fixture);
  });
  after(async () => {
    await fixture?.emu.close();
    fixture?.box.cleanup();
  });
}
