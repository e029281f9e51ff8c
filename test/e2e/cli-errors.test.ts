// What a user sees when a command is used wrongly or swrole itself is broken, from the built binary: the
// message, the hint, the exit code, `--debug`'s code line, and never a stack trace.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { DIST, runSwrole, type RunResult, type Sandbox } from '../helpers/swrole-run.js';
import { exitCodeOf, type ErrorCode } from '../../src/errors.js';

let emu: EmulatorHandle;
let box: Sandbox;

useEmulatorSandbox((fixture) => ({ emu, box } = fixture));

/** stderr is exactly `swrole: MESSAGE` + `  hint: HINT` (+ `  code: CODE` and causes under --debug), no stack. */
function assertCliError(r: RunResult, code: ErrorCode, message: string | RegExp, hint: string | RegExp): void {
  assert.equal(r.code, exitCodeOf(code), r.stderr);
  assert.equal(r.stdout, '');
  assert.doesNotMatch(r.stderr, /internal error \(this is a bug|^\s+at /m, r.stderr);
  const [first = '', second = '', ...rest] = r.stderr.split('\n');
  assert.ok(first.startsWith('swrole: '), r.stderr);
  if (typeof message === 'string') assert.equal(first, `swrole: ${message}`);
  else assert.match(first, message);
  assert.ok(second.startsWith('  hint: '), r.stderr);
  if (typeof hint === 'string') assert.equal(second, `  hint: ${hint}`);
  else assert.match(second, hint);
  if (rest.includes(`  code: ${code}`)) return;
  assert.deepEqual(rest, [''], `without --debug nothing more: ${r.stderr}`);
}

describe('usage errors (exit 2)', () => {
  it('an unknown flag: E_USAGE naming the command and its help', async () => {
    const r = await runSwrole(['process', 'nomfa', '--no-such-flag'], box.env);
    assertCliError(r, 'E_USAGE', /^swrole: process: Unknown option '--no-such-flag'/, 'run `swrole process --help`');
    const debug = await runSwrole(['process', 'nomfa', '--no-such-flag', '--debug'], box.env);
    assertCliError(debug, 'E_USAGE', /^swrole: process: Unknown option '--no-such-flag'/, 'run `swrole process --help`');
    assert.match(debug.stderr, /^ {2}code: E_USAGE$/m);
  });

  it('a flag without its value: E_USAGE', async () => {
    const r = await runSwrole(['env', 'nomfa', '--format', '--debug'], box.env);
    assert.match(r.stderr, /^ {2}code: E_USAGE$/m);
    assertCliError(
      r,
      'E_USAGE',
      /^swrole: env: Option '--format' argument is ambiguous\. Did you forget to specify the option argument for '--format'\?/,
      'run `swrole env --help`',
    );
  });

  it('`swrole use` without the shell function: E_USE_NEEDS_SHELL_INIT saying how to load it', async () => {
    const r = await runSwrole(['use', 'nomfa', '--debug'], box.env);
    assertCliError(
      r,
      'E_USE_NEEDS_SHELL_INIT',
      '`swrole use` must run as a shell function to change your shell',
      /eval "\$\(swrole shell-init bash\)".*eval "\$\(swrole env PROFILE\)"/,
    );
    assert.match(r.stderr, /^ {2}code: E_USE_NEEDS_SHELL_INIT$/m);
  });
});

describe('MFA code format (exit 4)', () => {
  it('--mfa-code that is not 6 digits: E_MFA_CODE_FORMAT, nothing sent to STS', async () => {
    emu.reset();
    const r = await runSwrole(['login', 'a', '--mfa-code', '12345', '--debug'], box.env);
    assertCliError(
      r,
      'E_MFA_CODE_FORMAT',
      'profile "a": the MFA code from --mfa-code is not 6 digits',
      'an MFA code is the 6 digits shown by your authenticator',
    );
    assert.match(r.stderr, /^ {2}code: E_MFA_CODE_FORMAT$/m);
    assert.deepEqual(emu.counts(), {});
  });
});

describe('a broken install (exit 1)', () => {
  it('`swrole process` with the AWS SDK chunk missing: E_INTERNAL, one line for the SDK that runs it, no stack', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'swrole-broken-dist-'));
    try {
      cpSync(join(DIST, '..'), dist, { recursive: true });
      const chunk = readdirSync(dist).filter((name) => /^aws-sdk-/.test(name));
      assert.equal(chunk.length, 1, `the AWS SDK chunk of dist/: ${readdirSync(dist).join(', ')}`);
      rmSync(join(dist, chunk[0]!));
      const env = { ...box.env, SWROLE_HOME: join(dist, 'state') };
      const r = await runSwrole(['process', 'nomfa'], env, { dist: join(dist, 'swrole.js') });
      assertCliError(
        r,
        'E_INTERNAL',
        /^swrole: process: unexpected error: Cannot find module .*aws-sdk-sdk-clients/,
        'run again with --debug, and report it if it persists',
      );
      const debug = await runSwrole(['process', 'nomfa', '--debug'], env, { dist: join(dist, 'swrole.js') });
      assert.equal(debug.code, 1);
      assert.match(debug.stderr, /^ {2}code: E_INTERNAL$/m);
      assert.match(debug.stderr, /^ {2}cause: MODULE_NOT_FOUND: Cannot find module/m);
      assert.doesNotMatch(debug.stderr, /^\s+at /m);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
