// Issue 13: `swrole process` run by a person in a real terminal (tmux gives a pty), without an MFA session: it
// must not claim that "no terminal is available"; it says that `process` never prompts because it runs inside
// SDKs, and names `swrole login PROFILE`.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { DIST, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
const socket = `swrole-process-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000 });
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const noTmux = spawnSync('tmux', ['-V']).status !== 0 && !process.env.CI ? 'tmux not installed' : false;

async function waitForScreen(target: string, pattern: RegExp, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-J', '-t', target, '-S', '-100');
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern} on the terminal:\n${screen}`);
}

useEmulatorSandbox((fixture) => ({ emu, box } = fixture));
after(() => spawnSync('tmux', ['-L', socket, 'kill-server']));

describe('`swrole process` on a real terminal without a session', () => {
  it('says that `process` never prompts because it runs inside SDKs, and names `swrole login P`', { skip: noTmux }, async () => {
    const script = join(box.dir, 'process.sh');
    const env = { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
    writeFileSync(
      script,
      [
        ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
        `${quote(process.execPath)} ${quote(DIST)} process a > ${quote(join(box.dir, 'out'))}; echo "EXIT=$?"`,
        'sleep 60',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-s', 'process', '-x', '220', '-y', '50', `bash ${quote(script)}`);
    const screen = await waitForScreen('process', /^EXIT=\d+$/m, 15_000);
    assert.match(screen, /^EXIT=4$/m);
    assert.match(screen, /`swrole process` never prompts, even in a terminal: it runs inside AWS SDKs and tools/);
    assert.match(screen, /hint: run `swrole login a` first/);
    assert.doesNotMatch(screen, /no terminal is available/);
    assert.doesNotMatch(screen, /MFA code for .*: $/m, 'no prompt');
    assert.equal(emu.calls().length, 0, 'no STS call');
  });
});
