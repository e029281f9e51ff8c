// A person in a real terminal (tmux gives a pty): `eval "$(swrole env a)"` captures stdout, yet the MFA
// prompt appears on the terminal (/dev/tty), the typed code is read from it, and the same shell then calls
// STS with the role. Nothing secret is shown on the screen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET, sampleWorld, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { createSandbox, DIST, ensureBuilt, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
const socket = `swrole-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000 });
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function waitForScreen(pattern: RegExp, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-J', '-t', 'swrole', '-S', '-100');
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern} on the terminal:\n${screen}`);
}

before(async () => {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    if (process.env.CI) throw new Error('tmux is required for the terminal prompt test (apt-get install tmux)');
  }
  ensureBuilt();
  emu = await startEmulator({ world: sampleWorld() });
  box = createSandbox(emu.url);
});
after(async () => {
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  await emu.close();
  box.cleanup();
});

describe('MFA prompt on the terminal', () => {
  it(
    'eval "$(swrole env a)" prompts on /dev/tty, reads the code there, and the shell gets the role',
    { skip: spawnSync('tmux', ['-V']).status !== 0 && !process.env.CI ? 'tmux not installed' : false },
    async () => {
      const env = { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
      const script = join(box.dir, 'person.sh');
      writeFileSync(
        script,
        [
          ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
          `eval "$(${quote(process.execPath)} ${quote(DIST)} env a)"`,
          'echo "ARN=$(aws sts get-caller-identity --query Arn --output text)"',
          'echo DONE',
          'sleep 60',
        ].join('\n'),
      );
      tmux('new-session', '-d', '-s', 'swrole', '-x', '200', '-y', '50', `bash ${quote(script)}`);
      await waitForScreen(/MFA code for arn:aws:iam::333333333333:mfa\/example\.user/, 15_000);
      tmux('send-keys', '-t', 'swrole', totp(MFA_SECRET, emu.now()), 'Enter');
      const screen = await waitForScreen(/^DONE$/m, 30_000);
      assert.match(screen, /^ARN=arn:aws:sts::111111111111:assumed-role\/RoleA\/\S+$/m);
      assert.ok(!screen.includes(USER_SECRET_ACCESS_KEY), 'no secret on the screen');
      assert.doesNotMatch(screen, /export AWS_SECRET_ACCESS_KEY/, 'the exports went to eval, not to the terminal');
    },
  );
});
