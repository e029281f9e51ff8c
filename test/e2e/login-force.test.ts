// `swrole login --force` must not log anyone out before it has a new session (issues 13 and 15): a typo, a
// wrong code or an STS outage leaves the valid MFA session cached, and served, byte for byte.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET } from '../helpers/emulator-world.js';
import { runSwrole, type RunResult, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;

const clockEnv = () => ({ SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
const swrole = (args: string[]): Promise<RunResult> => runSwrole(args, { ...box.env, ...clockEnv() });

function code(): string {
  emu.advance(30);
  return totp(MFA_SECRET, emu.now());
}

/** The cached MFA session file (name and bytes). */
function mfaSession(): { name: string; text: string } | undefined {
  const dir = join(box.stateDir, 'sessions');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    if ((JSON.parse(text) as { kind: string }).kind === 'mfaSession') return { name, text };
  }
  return undefined;
}

/** The session is still served: a login without a code (and no terminal to ask on) succeeds from the cache. */
async function assertStillServed(label: string): Promise<void> {
  const calls = emu.counts().GetSessionToken;
  const again = await swrole(['login', 'a']);
  assert.equal(again.code, 0, `${label}: ${again.stderr}`);
  assert.match(again.stderr, /MFA session still valid/, label);
  assert.equal(emu.counts().GetSessionToken, calls, `${label}: no new GetSessionToken`);
}

useEmulatorSandbox((fixture) => ({ emu, box } = fixture));

describe('login --force keeps the valid MFA session until a new one is stored', () => {
  it('typo, wrong code, STS 500: exit 4, the old session intact and served; a good code then replaces it', async () => {
    const login = await swrole(['login', 'a', '--mfa-code', code()]);
    assert.equal(login.code, 0, login.stderr);
    const original = mfaSession();
    assert.ok(original);

    const typo = await swrole(['login', 'a', '--force', '--mfa-code', '12ab56']);
    assert.equal(typo.code, 4, typo.stderr);
    assert.match(typo.stderr, /the MFA code from --mfa-code is not 6 digits/);
    assert.deepEqual(mfaSession(), original, 'typo: the session file is unchanged');
    await assertStillServed('typo');

    const calls = emu.counts().GetSessionToken ?? 0;
    const wrong = String((Number(code()) + 1) % 1_000_000).padStart(6, '0');
    const rejected = await swrole(['login', 'a', '--force', '--mfa-code', wrong]);
    assert.equal(rejected.code, 4, rejected.stderr);
    assert.equal(emu.counts().GetSessionToken, calls + 1, 'the wrong code reached STS');
    assert.deepEqual(mfaSession(), original, 'wrong code: the session file is unchanged');
    await assertStillServed('wrong code');

    // As many 500s as swrole's retries: all used up by this login (emu.reset() would also make STS forget the
    // session, which login now checks before calling it valid).
    emu.inject({ status: 500, action: 'GetSessionToken', count: 3 });
    const outage = await swrole(['login', 'a', '--force', '--mfa-code', code()]);
    assert.equal(outage.code, 4, outage.stderr);
    assert.deepEqual(mfaSession(), original, 'STS 500: the session file is unchanged');
    await assertStillServed('STS 500');

    const renewed = await swrole(['login', 'a', '--force', '--mfa-code', code()]);
    assert.equal(renewed.code, 0, renewed.stderr);
    assert.match(renewed.stderr, /MFA session started/);
    const now = mfaSession();
    assert.equal(now?.name, original.name, 'same cache entry');
    assert.notEqual(now?.text, original.text, 'replaced by the new session');
    const left = readdirSync(join(box.stateDir, 'sessions')).filter((f) => !f.endsWith('.json'));
    assert.deepEqual(left, [], 'no lock or temp file left behind');
  });
});
