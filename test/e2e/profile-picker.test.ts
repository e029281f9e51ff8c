// Issue 13, "Choosing a profile": on a real terminal (tmux gives a pty), `swrole env`, `exec` and `use` without a
// profile open a fuzzy picker on stderr; typing filters, arrows / Ctrl-N / Ctrl-P move, Enter picks (the command
// then runs with that profile), Ctrl-C or Esc cancel at once with exit 130, nothing on stdout and the terminal
// sane. Names with spaces and Japanese names line up. Without a terminal (or inside an agent) nothing changes:
// the default profile, or a usage error for `use`.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ROLE_NO_MFA_ARN } from '../helpers/emulator-world.js';
import { DIST, runSwrole, sampleCredentials, type Sandbox } from '../helpers/swrole-run.js';
import { createTmux, noTmux, requireTmuxInCi, shQuote as quote } from '../helpers/tmux-terminal.js';
import { displayWidth } from '../../src/output/display-width.js';

let emu: EmulatorHandle;
let box: Sandbox;
const tmux = createTmux('swrole-picker');
const swrole = `${quote(process.execPath)} ${quote(DIST)}`;

const CONFIG = `[default]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = us-east-1

[profile prod]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = ap-northeast-1

[profile "顧客 B"]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = eu-west-1

[profile "sw staging"]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = us-west-2
`;

useEmulatorSandbox(
  (fixture) => {
    requireTmuxInCi();
    ({ emu, box } = fixture);
  },
  { config: CONFIG, credentials: sampleCredentials().split('\n\n')[0]! }, // [base] only
);
after(() => tmux.kill());

const env = () => ({ ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
const start = (name: string, lines: string[]) => tmux.start(name, box.dir, env(), [...lines, 'sleep 60'], { width: 120, height: 40 });
const PICKER = /choose a profile › /;

/** PATH with a \`swrole\` that runs this build first: the shell-init function calls \`command swrole env ...\`. */
function pathWithSwrole(): string {
  const bin = join(box.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'swrole'), `#!/bin/sh\nexec ${swrole} "$@"\n`);
  chmodSync(join(bin, 'swrole'), 0o755);
  return `${bin}:${box.env.PATH}`;
}

/** `stty -a` shows the terminal back in cooked mode with echo (raw mode undone). */
function assertSaneTerminal(screen: string): void {
  const stty = screen.slice(screen.indexOf('STTY'));
  assert.match(stty, /(^|\s)icanon(\s|$)/m, `canonical mode back on:\n${stty}`);
  assert.match(stty, /(^|\s)echo(\s|$)/m, `echo back on:\n${stty}`);
}

describe('the profile picker on a real terminal', () => {
  it(
    '`swrole env` with no profile: rows aligned (spaces, Japanese), type to filter, Enter picks; stdout only has the exports',
    { skip: noTmux },
    async () => {
      // A memo written without a terminal (default profile) must not answer on a terminal: the picker still opens.
      const plain = await runSwrole(['env'], env());
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stdout, /^export SWROLE_PROFILE='default'$/m);
      const out = join(box.dir, 'env-out');
      const term = start('env', [`${swrole} env > ${quote(out)}; echo "EXIT=$?"`]);
      const screen = await term.waitFor(/5\/5 {2}↑↓ move/, 15_000);
      assert.match(screen, PICKER);
      const rows = ['prod', '顧客 B', 'sw staging'].map((name) => {
        const line = screen.split('\n').find((l) => l.slice(2).startsWith(`${name} `));
        assert.ok(line, `a row for ${name}:\n${screen}`);
        return line;
      });
      const accountColumn = rows.map((line) => displayWidth(line.slice(0, line.indexOf('111111111111'))));
      assert.equal(new Set(accountColumn).size, 1, `the account column starts at one column: ${accountColumn.join(', ')}\n${screen}`);
      const regionColumn = rows.map((line) => displayWidth(line.slice(0, line.search(/(ap-northeast-1|eu-west-1|us-west-2)/))));
      assert.equal(new Set(regionColumn).size, 1, `the region column starts at one column: ${regionColumn.join(', ')}`);
      assert.match(rows[0]!, /RoleNoMfa/, 'the role is shown');

      term.type('顧客');
      // Both characters typed (the first alone already filters to one row), then the count under it.
      await term.waitFor(/choose a profile › 顧客$/m, 5_000);
      const filtered = await term.waitFor(/1\/5 {2}↑↓ move/, 5_000);
      assert.match(filtered, /^> 顧客 B +111111111111 +RoleNoMfa +eu-west-1/m);
      term.keys('Enter');
      const done = await term.waitFor(/^EXIT=\d+$/m, 30_000);
      assert.match(done, /^EXIT=0$/m);
      assert.match(done, /swrole: profile "顧客 B" \(111111111111, RoleNoMfa, eu-west-1\)/);
      assert.doesNotMatch(done, /↑↓ move/, 'the picker is erased');
      const exports = readFileSync(out, 'utf8');
      assert.match(exports, /^export SWROLE_PROFILE='顧客 B'$/m);
      assert.match(exports, /^export AWS_REGION='eu-west-1'$/m);
      assert.doesNotMatch(exports, /choose a profile|\x1b/, 'nothing of the picker on stdout');
    },
  );

  it('`swrole exec -- CMD`: ↓, Ctrl-N, Ctrl-P move; Enter runs the child with the picked profile', { skip: noTmux }, async () => {
    const term = start('exec', [`${swrole} exec -- sh -c 'echo "CHILD=$SWROLE_PROFILE/$AWS_REGION"'; echo "EXIT=$?"`]);
    await term.waitFor(/5\/5 {2}↑↓ move/, 15_000);
    term.keys('Down'); // prod
    term.keys('C-n'); // 顧客 B
    term.keys('C-n'); // sw staging
    term.keys('C-p'); // 顧客 B
    term.keys('Up'); // prod
    await term.waitFor(/^> prod /m, 5_000);
    term.keys('Enter');
    const done = await term.waitFor(/^EXIT=\d+$/m, 30_000);
    assert.match(done, /^CHILD=prod\/ap-northeast-1$/m);
    assert.match(done, /^EXIT=0$/m);
  });

  it(
    '`swrole use` (shell-init bash) with no profile: the picker draws while stdout is captured; the shell gets the pick',
    { skip: noTmux },
    async () => {
      const shell = tmux.start('use-fn', box.dir, { ...env(), PATH: pathWithSwrole() }, [
        'eval "$(swrole shell-init bash)"',
        'swrole use; echo "USE=$? PROFILE=$SWROLE_PROFILE REGION=$AWS_REGION"',
        'sleep 60',
      ]);
      await shell.waitFor(/5\/5 {2}↑↓ move/, 15_000);
      shell.type('stg');
      await shell.waitFor(/choose a profile › stg$/m, 5_000);
      const picking = await shell.waitFor(/^> sw staging /m, 5_000);
      assert.match(picking, /^choose a profile › stg$/m, 'no `swrole env:` label for the `use` the person typed');
      shell.keys('Enter');
      const done = await shell.waitFor(/^USE=\d+/m, 30_000);
      assert.match(done, /^USE=0 PROFILE=sw staging REGION=us-west-2$/m);
    },
  );

  it(
    '`swrole login` and `swrole console --print` with no profile pick too: the command runs for the picked profile',
    { skip: noTmux },
    async () => {
      const url = join(box.dir, 'console-url');
      const term = start('login-console', [
        `${swrole} login; echo "LOGIN=$?"`,
        `AWS_ENDPOINT_URL_SIGNIN=${quote(emu.url)} ${swrole} console --print > ${quote(url)}; echo "CONSOLE=$?"`,
      ]);
      await term.waitFor(/swrole login: choose a profile › /, 15_000);
      term.type('prod');
      await term.waitFor(/^> prod /m, 5_000);
      term.keys('Enter');
      const login = await term.waitFor(/^LOGIN=\d+$/m, 30_000);
      assert.match(login, /^LOGIN=0$/m);
      assert.match(login, /swrole: profile "prod" needs no MFA; fetching its credentials/);
      await term.waitFor(/swrole console: choose a profile › /, 15_000);
      term.type('sw');
      await term.waitFor(/^> sw staging /m, 5_000);
      term.keys('Enter');
      const consoleScreen = await term.waitFor(/^CONSOLE=\d+$/m, 30_000);
      assert.match(consoleScreen, /^CONSOLE=0$/m);
      assert.match(consoleScreen, /swrole: profile "sw staging" \(111111111111, RoleNoMfa, us-west-2\)/);
      const printed = readFileSync(url, 'utf8').trim();
      assert.match(printed, /^https?:\/\/\S+$/, 'one URL on stdout, nothing of the picker');
      assert.match(new URL(printed).searchParams.get('Destination') ?? '', /us-west-2/, "the picked profile's region");
    },
  );

  for (const key of ['C-c', 'Escape']) {
    it(
      `${key === 'C-c' ? 'Ctrl-C' : 'Esc'}: exit 130 at once, nothing on stdout, the picker erased, the terminal sane, cursor shown`,
      { skip: noTmux },
      async () => {
        const out = join(box.dir, `cancel-${key}`);
        const calls = emu.calls().length;
        const term = start(`cancel-${key}`, [`${swrole} env --debug > ${quote(out)}; echo "EXIT=$?"`, 'echo STTY; stty -a']);
        await term.waitFor(/5\/5 {2}↑↓ move/, 15_000);
        term.type('pr');
        await term.waitFor(/1\/5 {2}↑↓ move/, 5_000);
        const sent = performance.now();
        term.keys(key);
        const screen = await term.waitFor(/^STTY[\s\S]*min = /m, 5_000);
        const ms = performance.now() - sent;
        assert.match(screen, /^EXIT=130$/m);
        assert.match(screen, /env: cancelled at the profile picker; nothing was done/);
        assert.match(screen, /code: E_INTERRUPTED/);
        assert.doesNotMatch(screen, /↑↓ move|choose a profile/, 'the picker is erased');
        assertSaneTerminal(screen);
        assert.equal(term.format('#{cursor_flag}'), '1', 'cursor shown');
        assert.equal(readFileSync(out, 'utf8'), '', 'nothing on stdout');
        assert.equal(emu.calls().length, calls, 'no STS call');
        console.log(`# measured: ${key} in the picker → exit 130 seen ${ms.toFixed(0)} ms later (tmux polling included)`);
      },
    );
  }

  it('inside an agent (CLAUDECODE=1), even on a terminal: no picker, the default profile as before', { skip: noTmux }, async () => {
    const out = join(box.dir, 'agent-out');
    const term = start('agent', [`CLAUDECODE=1 ${swrole} env > ${quote(out)}; echo "EXIT=$?"`]);
    const screen = await term.waitFor(/^EXIT=\d+$/m, 15_000);
    assert.match(screen, /^EXIT=0$/m);
    assert.doesNotMatch(screen, PICKER);
    assert.match(readFileSync(out, 'utf8'), /^export SWROLE_PROFILE='default'$/m);
  });
});

describe('without a terminal nothing changes', () => {
  it('env and exec use the default profile; AWS_PROFILE still wins; `env --pick` is a usage error', async () => {
    const plain = await runSwrole(['env'], env());
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^export SWROLE_PROFILE='default'$/m);
    assert.doesNotMatch(plain.stderr, PICKER);
    const exec = await runSwrole(['exec', '--', process.execPath, '-e', 'process.stdout.write(process.env.SWROLE_PROFILE)'], env());
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, 'default');
    const named = await runSwrole(['env'], { ...env(), AWS_PROFILE: 'prod' });
    assert.match(named.stdout, /^export SWROLE_PROFILE='prod'$/m);
    const pick = await runSwrole(['env', '--pick'], env());
    assert.equal(pick.code, 2);
    assert.match(
      pick.stderr,
      /env: choosing a profile \(--pick\) needs a terminal \(stdin and stderr\) with a person at it, not an agent: name the profile instead/,
    );
    assert.equal(pick.stdout, '');
  });

  it('`swrole use` (shell-init bash) with no profile and no terminal: a usage error, the shell unchanged', () => {
    const run = spawnSync('bash', ['-c', 'eval "$(swrole shell-init bash)"; swrole use; echo "USE=$? PROFILE=${SWROLE_PROFILE-unset}"'], {
      env: { ...env(), PATH: pathWithSwrole() },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.match(run.stdout, /^USE=2 PROFILE=unset$/m);
    assert.match(run.stderr, /choosing a profile \(--pick\) needs a terminal/);
  });
});
