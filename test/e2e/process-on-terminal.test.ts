// Issue 13: `swrole process` run by a person in a real terminal (tmux gives a pty), without an MFA session: it
// must not claim that "no terminal is available"; it says that `process` never prompts because it runs inside
// SDKs, and names `swrole login PROFILE`.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { DIST, type Sandbox } from '../helpers/swrole-run.js';
import { createTmux, noTmux, requireTmuxInCi, shQuote as quote } from '../helpers/tmux-terminal.js';

let emu: EmulatorHandle;
let box: Sandbox;
const tmux = createTmux('swrole-process');

useEmulatorSandbox((fixture) => {
  requireTmuxInCi();
  ({ emu, box } = fixture);
});
after(() => tmux.kill());

describe('`swrole process` on a real terminal without a session', () => {
  it('says that `process` never prompts because it runs inside SDKs, and names `swrole login P`', { skip: noTmux }, async () => {
    const env = { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
    const term = tmux.start(
      'process',
      box.dir,
      env,
      [`${quote(process.execPath)} ${quote(DIST)} process a > ${quote(join(box.dir, 'out'))}; echo "EXIT=$?"`, 'sleep 60'],
      { width: 220, height: 50 },
    );
    const screen = await term.waitFor(/^EXIT=\d+$/m, 15_000);
    assert.match(screen, /^EXIT=4$/m);
    assert.match(screen, /`swrole process` never prompts, even in a terminal: it runs inside AWS SDKs and tools/);
    assert.match(screen, /hint: run `swrole login a` first/);
    assert.doesNotMatch(screen, /no terminal is available/);
    assert.doesNotMatch(screen, /MFA code for .*: $/m, 'no prompt');
    assert.equal(emu.calls().length, 0, 'no STS call');
  });
});
