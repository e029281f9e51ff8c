// Issue 13, "Sessions must survive mistakes": after a clock jump (laptop sleep, VM resume) or a copied cache, STS
// answers ExpiredToken for a cached session swrole thinks valid. The hint said `swrole login a`, and login said
// "still valid (cached)": a loop. Now the refused entry is dropped and obtained once more, and login verifies what
// it reports as cached. Simulated faithfully: the cached MFA session's recorded expiry is moved past what STS
// issued (as a copied cache or a clock that jumped would leave it), and the emulator's clock passes the real one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET } from '../helpers/emulator-world.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;

const swrole = (args: string[]) => runSwrole(args, { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
const count = (action: string) => emu.calls().filter((c) => c.action === action).length;
const code = () => {
  emu.advance(30);
  return totp(MFA_SECRET, emu.now());
};
const sessionsDir = () => join(box.stateDir, 'sessions');
const cached = () =>
  readdirSync(sessionsDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      file: join(sessionsDir(), f),
      data: JSON.parse(readFileSync(join(sessionsDir(), f), 'utf8')) as { kind: string; credentials: { expiration: string } },
    }));

/** STS lets the MFA session (12 h) and its role sessions expire; swrole's cache still says the MFA session has a day left. */
function staleCache(): void {
  for (const { file, data } of cached()) {
    if (data.kind === 'role') rmSync(file);
    else {
      data.credentials.expiration = new Date(emu.now() + 36 * 3600_000).toISOString();
      writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
    }
  }
  emu.advance(13 * 3600);
}

useEmulatorSandbox((fixture) => ({ emu, box } = fixture));

describe('a cached session STS refuses (ExpiredToken) is dropped and obtained once more', () => {
  it('no terminal: `process a` says to log in (MFA required), not "expired, run login", and the dead entry is gone', async () => {
    assert.equal((await swrole(['login', 'a', '--mfa-code', code()])).code, 0);
    staleCache();
    const r = await swrole(['process', 'a']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(
      r.stderr,
      /STS no longer accepts the cached MFA session for \S+ \(E_TOKEN_EXPIRED: clock jump or copied cache\?\): dropped it/,
    );
    assert.match(r.stderr, /an MFA code for \S+ is needed and no terminal is available/);
    assert.match(r.stderr, /code: E_MFA_REQUIRED|hint: run `swrole login a` in a terminal/);
    assert.deepEqual(
      cached().filter((s) => s.data.kind === 'mfaSession'),
      [],
      'the refused MFA session is no longer cached',
    );
  });

  it('with a code at hand (`exec a --mfa-code`), the retry gets a new MFA session and the role, in one run', async () => {
    assert.equal((await swrole(['login', 'a', '--mfa-code', code()])).code, 0);
    staleCache();
    const sessions = count('GetSessionToken');
    const r = await swrole(['exec', 'a', '--mfa-code', code(), '--', 'true']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /dropped it, getting a new one/);
    assert.equal(count('GetSessionToken') - sessions, 1);
  });

  it('`login a` does not call a refused session "still valid": it starts a new one, and `process a` then works', async () => {
    assert.equal((await swrole(['login', 'a', '--mfa-code', code()])).code, 0);
    staleCache();
    const sessions = count('GetSessionToken');
    const login = await swrole(['login', 'a', '--mfa-code', code()]);
    assert.equal(login.code, 0, login.stderr);
    assert.doesNotMatch(login.stderr, /still valid/);
    assert.match(login.stderr, /MFA session started/);
    assert.equal(count('GetSessionToken') - sessions, 1);
    const p = await swrole(['process', 'a']);
    assert.equal(p.code, 0, p.stderr);
    // A session STS does accept is still reported as valid, after one check.
    const again = await swrole(['login', 'a']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /MFA session still valid/);
  });
});
