// The shell acceptance of `swrole use`: the real init script of `swrole shell-init` loaded in bash, zsh and fish,
// the built swrole against the STS emulator, then the image's aws CLI v1 IN THE SAME SHELL sees the role.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET } from '../helpers/emulator-world.js';
import { DIST, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { runDetached, type Run } from '../helpers/run-detached.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];
const ASSUMED = new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/\\S+$`, 'm');
const PROFILES = ['default', 'a', 'ro', 'nomfa', 'chained', 'web', 'other-a'];

let emu: EmulatorHandle;
let box: Sandbox;
let wrapper: string;
let env: Record<string, string>;

function runShell(shell: Shell, script: string, timeoutMs = 60_000): Promise<Run> {
  const args =
    shell === 'fish' ? ['--no-config', '-c', script] : shell === 'zsh' ? ['-f', '-c', script] : ['--norc', '--noprofile', '-c', script];
  return runDetached(shell, args, env, '', timeoutMs);
}

/** Under CI a missing shell is a failure (the image must have it); on a laptop it is a skip. */
function requireShell(t: TestContext, shell: Shell): boolean {
  if (spawnSync(shell, ['-c', 'exit 0']).status === 0) return true;
  if (process.env.CI === 'true') assert.fail(`${shell} is not installed, and CI=true requires it`);
  t.skip(`${shell} is not installed`);
  return false;
}

const loadInit = (shell: Shell): string =>
  shell === 'fish' ? `swrole shell-init fish --path ${wrapper} | source` : `eval "$(swrole shell-init ${shell} --path ${wrapper})"`;

function useScript(shell: Shell): string {
  if (shell === 'fish') {
    return [
      loadInit(shell),
      'swrole use a',
      'echo "USE_STATUS=$status"',
      'aws sts get-caller-identity --query Arn --output text; or exit 11',
      'echo "PROFILE=$SWROLE_PROFILE"',
      'swrole use --clear; or exit 12',
      'for v in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN SWROLE_PROFILE; if set -q $v; echo "LEFT=$v"; end; end',
      'echo done',
    ].join('\n');
  }
  return [
    loadInit(shell),
    'swrole use a',
    'echo "USE_STATUS=$?"',
    'aws sts get-caller-identity --query Arn --output text || exit 11',
    'echo "PROFILE=$SWROLE_PROFILE"',
    'swrole use --clear || exit 12',
    'for v in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN SWROLE_PROFILE; do if [ -n "$(printenv $v)" ]; then echo "LEFT=$v"; fi; done',
    'echo done',
  ].join('\n');
}

function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return [
        loadInit(shell),
        'complete -p swrole',
        'COMP_WORDS=(swrole use ""); COMP_CWORD=2; _swrole_complete',
        'printf "C=%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
    case 'zsh':
      return [
        'autoload -U compinit && compinit -u',
        loadInit(shell),
        'print -r -- "COMPDEF=${_comps[swrole]}"',
        'swrole __complete profiles | sed "s/^/C=/"',
      ].join('\n');
    case 'fish':
      return [loadInit(shell), 'complete -c swrole | head -n 3 | sed "s/^/ENTRY=/"', 'complete -C "swrole use " | sed "s/^/C=/"'].join(
        '\n',
      );
  }
}

useEmulatorSandbox(async (fixture) => {
  ({ emu, box } = fixture);
  mkdirSync(box.home, { recursive: true });
  const bin = join(box.dir, 'bin');
  mkdirSync(bin);
  wrapper = join(bin, 'swrole');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${DIST}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  env = { ...box.env, PATH: `${bin}:${box.env.PATH}`, LANG: 'C.UTF-8', TERM: 'dumb', AWS_DEFAULT_REGION: 'us-east-1' };
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], env);
  assert.equal(login.code, 0, login.stderr);
});

describe('swrole use in a real shell (bash, zsh, fish) with the aws CLI in the same shell', () => {
  for (const shell of SHELLS) {
    it(`${shell}: use a → aws sts get-caller-identity is RoleA; use --clear removes the keys`, async (t) => {
      if (!requireShell(t, shell)) return;
      const calls = emu.calls().filter((c) => c.action === 'AssumeRole').length;
      const r = await runShell(shell, useScript(shell));
      assert.equal(r.code, 0, `${shell} exited ${r.code}: ${r.stderr}\n${r.stdout}`);
      assert.match(r.stdout, ASSUMED);
      assert.match(r.stdout, /^PROFILE=a$/m);
      assert.doesNotMatch(r.stdout, /^LEFT=/m, 'use --clear leaves no key variable behind');
      assert.match(r.stdout, /^done$/m);
      // fish 3.6 once returned 4 here: a failed `set -e` of an unset variable set the status of `... | source`.
      assert.match(r.stdout, /^USE_STATUS=0$/m, 'swrole use succeeds with status 0');
      assert.doesNotMatch(r.stdout + r.stderr, /exampleUserSecretKey/, 'no secret printed');
      assert.ok(emu.calls().filter((c) => c.action === 'AssumeRole').length - calls <= 1);
    });
    it(`${shell}: the completion script loads without error and completes the sandbox's profiles`, async (t) => {
      if (!requireShell(t, shell)) return;
      const r = await runShell(shell, completionScript(shell));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.replace(/^.*compinit.*\n?/gm, ''), '', 'no errors while loading');
      if (shell === 'bash') assert.match(r.stdout, /^complete -F _swrole_complete swrole$/m);
      if (shell === 'zsh') assert.match(r.stdout, /^COMPDEF=_swrole$/m);
      if (shell === 'fish') assert.match(r.stdout, /^ENTRY=complete .*swrole/m);
      const offered = [...r.stdout.matchAll(/^C=(\S+)/gm)].map((m) => m[1]);
      for (const name of PROFILES) assert.ok(offered.includes(name), `${shell} offers ${name}: ${offered.join(' ')}`);
    });
  }
});
