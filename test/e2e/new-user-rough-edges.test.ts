// Issue 13, "Smaller things": what a new user following the usual blog setups hit, one test per bullet, on the
// built binary against the strict emulator.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { MFA_SERIAL, ROLE_A_ARN, sampleWorld } from '../helpers/emulator-world.js';
import { createSandbox, ensureBuilt, runSwrole, type Sandbox } from '../helpers/swrole-run.js';

const PWNED = 'pwned-by-a-hint';
const HOSTILE = ['顧客 B', "O'Brien", `$(touch ${PWNED})`];

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
  // Names as people write them: a space and Japanese, a quote, and shell syntax that must stay data.
  for (const name of HOSTILE) {
    appendFileSync(
      box.configFile,
      `\n[profile "${name}"]\nrole_arn = ${ROLE_A_ARN}\nsource_profile = base\nmfa_serial = ${MFA_SERIAL}\nregion = us-east-1\n`,
    );
  }
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

describe('suggested commands in hints quote profile names and paths (one quoting helper for all hints)', () => {
  it("`swrole login '顧客 B'`, O'Brien and $(…) come back quoted, and a shell runs them as the same words", async () => {
    for (const name of HOSTILE) {
      const r = await swrole(['process', name]);
      assert.equal(r.code, 4, r.stderr);
      const suggested = /hint: run `(swrole login [^`]+)`/.exec(r.stderr)?.[1];
      assert.ok(suggested !== undefined, r.stderr);
      if (name === '顧客 B') assert.equal(suggested, "swrole login '顧客 B'");
      // The suggestion, run by a shell with swrole replaced by printf, gives back exactly the name and runs nothing.
      const sh = spawnSync('sh', ['-c', `${suggested.replace(/^swrole login /, "printf '%s\\n' ")}`], { cwd: box.dir, encoding: 'utf8' });
      assert.equal(sh.stdout, `${name}\n`, suggested);
      assert.deepEqual(
        readdirSync(box.dir).filter((f) => f === PWNED),
        [],
        `${suggested} ran code`,
      );
    }
  });
});
