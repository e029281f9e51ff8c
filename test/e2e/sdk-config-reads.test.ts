// A miss reads the AWS config files once (issue 16): swrole parses them, and the AWS SDK's clients get every setting
// they would otherwise load from ~/.aws themselves (src/sts/sdk-client-settings.ts). The built binary under a preload
// that counts every open of the two files (fs and fs/promises, sync and async); the emulator checks the calls.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET, sampleWorld } from '../helpers/emulator-world.js';
import { createSandbox, DIST, ensureBuilt, type Sandbox } from '../helpers/swrole-run.js';
import { spawnDetached } from '../helpers/run-detached.js';

let emu: EmulatorHandle;
let box: Sandbox;
let preload: string;

/** A CommonJS preload: counts opens of AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, written to READS_FILE at exit. */
const PRELOAD = `
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const files = [process.env.AWS_CONFIG_FILE, process.env.AWS_SHARED_CREDENTIALS_FILE];
const reads = { config: 0, credentials: 0 };
// readFileSync opens through fs.openSync: a read inside a counted call is the same read.
let inside = 0;
const count = (p) => {
  if (inside > 0) return;
  const at = files.indexOf(typeof p === 'string' ? p : p instanceof URL ? p.pathname : undefined);
  if (at === 0) reads.config += 1;
  if (at === 1) reads.credentials += 1;
};
for (const name of ['open', 'openSync', 'readFile', 'readFileSync', 'createReadStream']) {
  const original = fs[name];
  fs[name] = function (p, ...rest) {
    count(p);
    inside += 1;
    try { return original.call(this, p, ...rest); } finally { inside -= 1; }
  };
}
for (const name of ['open', 'readFile']) {
  const original = fsp[name];
  fsp[name] = function (p, ...rest) { count(p); return original.call(this, p, ...rest); };
}
process.on('exit', () => fs.writeFileSync(process.env.READS_FILE, JSON.stringify(reads)));
`;

async function run(args: string[], extra: Record<string, string> = {}) {
  const readsFile = join(box.dir, 'reads.json');
  writeFileSync(readsFile, '{}');
  const env = {
    ...box.env,
    USER: 'jane',
    SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
    READS_FILE: readsFile,
    ...extra,
  };
  const result = await spawnDetached(process.execPath, ['--require', preload, DIST, ...args], env, { timeoutMs: 60_000 });
  return { ...result, reads: JSON.parse(readFileSync(readsFile, 'utf8')) as { config?: number; credentials?: number } };
}

before(async () => {
  ensureBuilt();
  emu = await startEmulator({ world: sampleWorld() });
  box = createSandbox(emu.url);
  preload = join(box.dir, 'count-reads.cjs');
  writeFileSync(preload, PRELOAD);
});
after(async () => {
  await emu.close();
  box.cleanup();
});

describe('a miss reads the AWS config files once (e2e)', () => {
  it('one hop: one AssumeRole, each file opened once', async () => {
    emu.reset();
    const r = await run(['process', 'nomfa', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(emu.counts().AssumeRole, 1);
    assert.deepEqual(r.reads, { config: 1, credentials: 1 });
  });

  it('three calls with three callers (MFA session, role, chained role) on one client: each signed by its own caller, files opened once', async () => {
    emu.reset();
    const r = await run(['process', 'chained', '--no-cache', '--mfa-code', totp(MFA_SECRET, emu.now())]);
    assert.equal(r.code, 0, r.stderr);
    const calls = emu.calls();
    assert.deepEqual(
      calls.map((c) => [c.action, c.code]),
      [
        ['GetSessionToken', 'OK'],
        ['AssumeRole', 'OK'],
        ['AssumeRole', 'OK'],
      ],
    );
    // The role hop is signed by the user's MFA session, the chained hop by the role session it returned.
    assert.match(calls[1]!.callerArn ?? '', /:user\//);
    assert.equal(calls[2]!.callerArn, calls[1]!.issued?.arn);
    assert.deepEqual(r.reads, { config: 1, credentials: 1 });
  });

  it("the SDK still sees the settings of the profile it reads (AWS_PROFILE / default), from swrole's parse: use_fips_endpoint", async () => {
    // With a custom endpoint (swrole always gives one) the SDK refuses FIPS, as it did when it read the file itself.
    const config = join(box.dir, 'config-fips');
    writeFileSync(config, readFileSync(box.configFile, 'utf8').replace('[default]\n', '[default]\nuse_fips_endpoint = true\n'));
    emu.reset();
    const r = await run(['process', 'nomfa', '--no-cache'], { AWS_CONFIG_FILE: config });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /FIPS and custom endpoint are not supported/);
    assert.equal(emu.counts().AssumeRole ?? 0, 0);
    assert.deepEqual(r.reads, { config: 1, credentials: 1 });
    // Not from the profile swrole resolves: the SDK reads AWS_PROFILE's.
    const other = await run(['process', 'nomfa', '--no-cache'], { AWS_CONFIG_FILE: config, AWS_PROFILE: 'nomfa' });
    assert.equal(other.code, 0, other.stderr);
  });
});
