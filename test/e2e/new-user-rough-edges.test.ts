// Issue 13, "Smaller things": what a new user following the usual blog setups hit, one test per bullet, on the
// built binary against the strict emulator.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { sampleWorld } from '../helpers/emulator-world.js';
import { createSandbox, ensureBuilt, runSwrole, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, env(extra), { timeoutMs: 60_000 });
const calls = (action: string) => emu.calls().filter((c) => c.action === action);

before(async () => {
  ensureBuilt();
  emu = await startEmulator({ world: sampleWorld() });
  box = createSandbox(emu.url);
});
after(async () => {
  await emu.close();
  box.cleanup();
});

describe('SourceIdentity and session names use the OS user name when USER/LOGNAME are unset (containers), never `unknown`', () => {
  it('an agent session without USER, LOGNAME or USERNAME is attributed to the OS account', async () => {
    const os = userInfo().username;
    const sandboxEnv = env();
    for (const name of ['USER', 'LOGNAME', 'USERNAME']) assert.equal(sandboxEnv[name as keyof typeof sandboxEnv], undefined, name);
    const r = await swrole(['process', 'nomfa', '--agent', 'claude']);
    assert.equal(r.code, 0, r.stderr);
    const call = calls('AssumeRole').at(-1)!;
    assert.equal(call.params.SourceIdentity, os.replace(/[^\w+=,.@-]/g, '-'));
    assert.equal(call.params.RoleSessionName, `swrole-${os}-claude`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64));
    assert.doesNotMatch(JSON.stringify(call.params), /unknown/);
  });
});
