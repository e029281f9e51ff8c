// A person in a real terminal (tmux gives a pty): `eval "$(swrole env a)"` captures stdout, yet the MFA
// prompt appears on the terminal (/dev/tty), the typed code is read from it, and the same shell then calls
// STS with the role. Nothing secret is shown on the screen.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { DIST, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { createTmux, noTmux, requireTmuxInCi, shQuote as quote, type TerminalSession } from '../helpers/tmux-terminal.js';

let emu: EmulatorHandle;
let box: Sandbox;
const tmux = createTmux('swrole-test');

useEmulatorSandbox((fixture) => {
  requireTmuxInCi();
  ({ emu, box } = fixture);
});
after(() => tmux.kill());

const clockEnv = () => ({ SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });

/** A shell script in a new tmux session that exports the sandbox env, then runs `lines`. */
function runInTerminal(name: string, lines: string[]): TerminalSession {
  return tmux.start(name, box.dir, { ...box.env, ...clockEnv() }, lines);
}

/** Everything in the sessions dir that is not a session file (locks, guards, temp files). */
function leftovers(): string[] {
  return readdirSync(join(box.stateDir, 'sessions')).filter((f) => !f.endsWith('.json'));
}

function sessionFiles(): Record<string, string> {
  const dir = join(box.stateDir, 'sessions');
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('MFA prompt on the terminal', () => {
  it('eval "$(swrole env a)" prompts on /dev/tty, reads the code there, and the shell gets the role', { skip: noTmux }, async () => {
    const term = runInTerminal('person', [
      `eval "$(${quote(process.execPath)} ${quote(DIST)} env a)"`,
      'echo "ARN=$(aws sts get-caller-identity --query Arn --output text)"',
      'echo DONE',
      'sleep 60',
    ]);
    await term.waitFor(/MFA code for arn:aws:iam::333333333333:mfa\/example\.user/, 15_000);
    term.keys(totp(MFA_SECRET, emu.now()), 'Enter');
    const screen = await term.waitFor(/^DONE$/m, 30_000);
    assert.match(screen, /^ARN=arn:aws:sts::111111111111:assumed-role\/RoleA\/\S+$/m);
    assert.ok(!screen.includes(USER_SECRET_ACCESS_KEY), 'no secret on the screen');
    assert.doesNotMatch(screen, /export AWS_SECRET_ACCESS_KEY/, 'the exports went to eval, not to the terminal');
  });

  it(
    'Ctrl-C at the prompt of `login --force`: exit 130 within 1 s, nothing echoed, no lock left, the old session intact',
    { skip: noTmux },
    async () => {
      emu.advance(30);
      const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], { ...box.env, ...clockEnv() });
      assert.equal(login.code, 0, login.stderr);
      const before = sessionFiles();
      const term = runInTerminal('cancel', [
        `${quote(process.execPath)} ${quote(DIST)} login a --force --debug; echo "EXIT=$?"`,
        'sleep 60',
      ]);
      await term.waitFor(/MFA code for arn:aws:iam::333333333333:mfa\/example\.user: $/m, 15_000);
      assert.equal(leftovers().length, 1, `the prompt runs under the lock: ${leftovers().join(', ')}`);
      term.keys('4', '2', '7');
      await new Promise((r) => setTimeout(r, 300));
      assert.doesNotMatch(term.screen(), /427/, 'the typed code is not echoed');
      const sent = performance.now();
      term.keys('C-c');
      const screen = await term.waitFor(/^EXIT=\d+$/m, 5_000);
      const ms = performance.now() - sent;
      assert.match(screen, /^EXIT=130$/m);
      assert.match(screen, /cancelled at the MFA prompt; nothing was changed/);
      assert.match(screen, /code: E_INTERRUPTED/);
      // Exiting on Ctrl-C (not at some timeout) is what waitFor's bound shows; how soon is measured, not asserted.
      assert.deepEqual(leftovers(), [], 'lock released, no temp file');
      assert.deepEqual(sessionFiles(), before, 'the cached sessions are byte for byte what they were');
      console.log(`# measured: Ctrl-C at the MFA prompt → exit 130 seen ${ms.toFixed(0)} ms later (tmux polling included)`);
    },
  );

  it(
    'a login waiting at the prompt for 11 s keeps its lock: a second login waits for it and uses no code (1 GetSessionToken)',
    { skip: noTmux },
    async () => {
      spawnSync(process.execPath, [DIST, 'logout', '--all'], { env: box.env });
      emu.advance(30);
      const calls = emu.counts().GetSessionToken ?? 0;
      const term = runInTerminal('slow', [`${quote(process.execPath)} ${quote(DIST)} login a; echo "EXIT=$?"`, 'sleep 60']);
      await term.waitFor(/MFA code for arn:aws:iam::333333333333:mfa\/example\.user: $/m, 15_000);
      const mfaCode = totp(MFA_SECRET, emu.now());
      // No terminal: it may wait for the person at the prompt (60 s at most), and must not spend its own code.
      const second = runSwrole(['login', 'a', '--mfa-code', mfaCode], { ...box.env, ...clockEnv() }, { timeoutMs: 70_000 });
      // proper-lockfile's heartbeat starved during the blocking prompt: waiters took the lock after 10 s.
      await new Promise((r) => setTimeout(r, 11_000));
      term.keys(mfaCode, 'Enter');
      const screen = await term.waitFor(/^EXIT=\d+$/m, 30_000);
      assert.match(screen, /^EXIT=0$/m);
      assert.match(screen, /MFA session started/);
      const other = await second;
      assert.equal(other.code, 0, other.stderr);
      assert.match(other.stderr, /MFA session still valid/);
      assert.equal((emu.counts().GetSessionToken ?? 0) - calls, 1);
      assert.deepEqual(leftovers(), []);
    },
  );
  it(
    'inside GitHub Copilot CLI (COPILOT_CLI / COPILOT_AGENT_SESSION_ID), even on a real terminal: no MFA prompt, E_MFA_REQUIRED at once',
    { skip: noTmux },
    async () => {
      spawnSync(process.execPath, [DIST, 'logout', '--all'], { env: box.env });
      // Copilot CLI 1.0.102 sets both markers in every shell command it runs; whatever terminal a command may reach,
      // the MFA step stays the user's.
      for (const marker of ['COPILOT_CLI=1', 'COPILOT_AGENT_SESSION_ID=0f6c2c1e']) {
        const calls = emu.counts().GetSessionToken ?? 0;
        const term = runInTerminal(`copilot-${marker.split('=')[0]!.toLowerCase()}`, [
          `${marker} ${quote(process.execPath)} ${quote(DIST)} env a --debug; echo "EXIT=$?"`,
          'sleep 60',
        ]);
        const screen = await term.waitFor(/^EXIT=\d+$/m, 15_000);
        assert.match(screen, /^EXIT=4$/m, screen);
        assert.match(screen, /an MFA code for \S+ is needed and no terminal is available/);
        assert.match(screen, /code: E_MFA_REQUIRED/);
        assert.doesNotMatch(screen, /MFA code for .*: $/m, 'no prompt on the terminal');
        assert.equal((emu.counts().GetSessionToken ?? 0) - calls, 0);
      }
    },
  );
});
