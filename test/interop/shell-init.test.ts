import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderShellInit } from '../../src/shell/render-shell-init.js';

/**
 * Drives the real shells with the real init scripts. `swrole env` belongs to the credential engine, so a real
 * executable stand-in named swrole goes first on PATH: these tests cover the wrapper's mechanics (eval in the
 * current shell, quoting, exit codes, --clear, pass-through, completion), not credentials.
 */
const FAKE_SWROLE = String.raw`#!/bin/sh
printf '%s\n' "$*" >> "$SWROLE_FAKE_LOG"
fmt=
prev=
for a in "$@"; do
  if [ "$prev" = --format ]; then fmt=$a; fi
  prev=$a
done
case "$1" in
  env)
    if [ "$2" = bad ]; then echo 'swrole: profile "bad" is not in ~/.aws/config' >&2; exit 3; fi
    # What swrole says to \`env --pick\` without a terminal (these shells have none): the picker is not the fake's.
    if [ "$2" = --pick ]; then echo 'swrole: env: choosing a profile (--pick) needs a terminal' >&2; exit 2; fi
    echo '# swrole-names: AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN SWROLE_EXTRA'
    if [ "$fmt" = fish ]; then
      cat <<'EOF'
set -gx AWS_ACCESS_KEY_ID 'AKIAFAKETESTKEY00001';
set -gx AWS_SECRET_ACCESS_KEY 'se\'cret $HOME';
set -gx AWS_SESSION_TOKEN 'token/with+chars=';
set -gx SWROLE_EXTRA 'x';
EOF
    else
      cat <<'EOF'
export AWS_ACCESS_KEY_ID='AKIAFAKETESTKEY00001'
export AWS_SECRET_ACCESS_KEY='se'\''cret $HOME'
export AWS_SESSION_TOKEN='token/with+chars='
export SWROLE_EXTRA='x'
EOF
    fi ;;
  __complete)
    printf '%s\n' dev 'prod admin' staging ;;
  *)
    echo "passthrough: $*"
    exit 7 ;;
esac
`;

let dir = '';
let env: NodeJS.ProcessEnv = {};
const log = (): string[] => readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'swrole-shell-'));
  writeFileSync(join(dir, 'swrole'), FAKE_SWROLE);
  chmodSync(join(dir, 'swrole'), 0o755);
  for (const shell of ['bash', 'zsh', 'fish'] as const) writeFileSync(join(dir, `init.${shell}`), renderShellInit(shell, 'swrole'));
  env = {
    PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: dir,
    SWROLE_FAKE_LOG: join(dir, 'calls.log'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
  };
});
after(() => rmSync(dir, { recursive: true, force: true }));

function runShell(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  writeFileSync(join(dir, 'calls.log'), '');
  const r = spawnSync(argv[0]!, argv.slice(1), { env, cwd: dir, encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A shell the tests need: under CI it must be installed (.ci/run installs it); locally a missing one is noted. */
function requireShell(t: { skip(message: string): void }, shell: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  if (process.env.CI === 'true') assert.fail(`${shell} is not installed: install ${shell} (apt-get install ${shell})`);
  t.skip(`${shell} not installed here (CI installs it)`);
  return false;
}

const POSIX_SESSION = `
export AWS_PROFILE=old AWS_DEFAULT_PROFILE=old2
swrole use dev --duration 900; echo "use=$?"
echo "key=$AWS_ACCESS_KEY_ID"
echo "secret=$AWS_SECRET_ACCESS_KEY"
echo "profile=\${AWS_PROFILE-unset},\${AWS_DEFAULT_PROFILE-unset}"
echo "hint=$SWROLE_PROFILE"
sh -c 'echo "child=$AWS_SESSION_TOKEN"'
swrole use bad; echo "bad=$?"
echo "kept=$AWS_ACCESS_KEY_ID"
swrole list --json; echo "pass=$?"
swrole use --clear; echo "clear=$?"
echo "after=\${AWS_ACCESS_KEY_ID-unset},\${AWS_SESSION_TOKEN-unset},\${SWROLE_EXTRA-unset},\${SWROLE_PROFILE-unset}"
swrole use; echo "noarg=$?"
swrole use --region eu-west-1; echo "optfirst=$?"
`;

function assertSession(out: string, err: string): void {
  const lines = out.trim().split('\n');
  assert.deepEqual(lines, [
    'use=0',
    'key=AKIAFAKETESTKEY00001',
    "secret=se'cret $HOME",
    'profile=unset,unset',
    'hint=dev',
    'child=token/with+chars=',
    'bad=3',
    'kept=AKIAFAKETESTKEY00001',
    'passthrough: list --json',
    'pass=7',
    'clear=0',
    'after=unset,unset,unset,unset',
    'noarg=2',
    'optfirst=2',
  ]);
  assert.match(err, /profile "bad" is not in/);
  // `use` alone asks swrole to open the profile picker (issue 13): `env --pick`, a usage error without a terminal.
  assert.match(err, /choosing a profile \(--pick\) needs a terminal/);
  // Options before any profile: still the wrapper's own usage error.
  assert.match(err, /swrole: use: name a profile/);
  // No secret on stderr, and the binary saw the profile, its options, and the shell's format.
  assert.ok(!err.includes('AKIAFAKE') && !err.includes('cret'));
}

test('bash: use evals env output in this shell, clears AWS_PROFILE, --clear unsets, others pass through', () => {
  const r = runShell(['bash', '--norc', '--noprofile', '-c', `source ./init.bash\n${POSIX_SESSION}`]);
  assertSession(r.stdout, r.stderr);
  assert.deepEqual(log().slice(0, 3), [
    'env dev --duration 900 --format sh --names-comment',
    'env bad --format sh --names-comment',
    'list --json',
  ]);
  assert.equal(log().at(-1), 'env --pick --format sh --names-comment');
});

test('bash: the script parses (bash -n) and completes commands and profile names', () => {
  assert.equal(runShell(['bash', '-n', join(dir, 'init.bash')]).status, 0);
  const r = runShell([
    'bash',
    '--norc',
    '--noprofile',
    '-c',
    `source ./init.bash
complete -p swrole
COMP_WORDS=(swrole sh); COMP_CWORD=1; _swrole_complete; echo "1:\${COMPREPLY[*]}"
COMP_WORDS=(swrole use ""); COMP_CWORD=2; _swrole_complete; printf '2:%s\\n' "\${COMPREPLY[@]}"
COMP_WORDS=(swrole shell-init f); COMP_CWORD=2; _swrole_complete; echo "3:\${COMPREPLY[*]}"`,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'complete -F _swrole_complete swrole',
    '1:shell-init',
    '2:dev',
    '2:prod\\ admin',
    '2:staging',
    '3:fish',
  ]);
});

test('zsh: same session, script parses (zsh -n), completion registers with compinit', (t) => {
  if (!requireShell(t, 'zsh')) return;
  assert.equal(runShell(['zsh', '-n', join(dir, 'init.zsh')]).status, 0);
  const r = runShell(['zsh', '-f', '-c', `source ./init.zsh\n${POSIX_SESSION}`]);
  assertSession(r.stdout, r.stderr);
  assert.equal(log()[0], 'env dev --duration 900 --format sh --names-comment');
  const c = runShell([
    'zsh',
    '-f',
    '-c',
    'autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump" && source ./init.zsh && print -r -- "$_comps[swrole]"',
  ]);
  assert.equal(c.stdout.trim(), '_swrole', c.stderr);
});

test('fish: same session with --format fish, and real completion of commands and profiles', (t) => {
  if (!requireShell(t, 'fish')) return;
  assert.equal(runShell(['fish', '--no-execute', join(dir, 'init.fish')]).status, 0);
  const session = `source ./init.fish
set -gx AWS_PROFILE old; set -gx AWS_DEFAULT_PROFILE old2
swrole use dev --duration 900; echo "use=$status"
echo "key=$AWS_ACCESS_KEY_ID"
echo "secret=$AWS_SECRET_ACCESS_KEY"
set -q AWS_PROFILE; and set p $AWS_PROFILE; or set p unset
set -q AWS_DEFAULT_PROFILE; and set q $AWS_DEFAULT_PROFILE; or set q unset
echo "profile=$p,$q"
echo "hint=$SWROLE_PROFILE"
sh -c 'echo "child=$AWS_SESSION_TOKEN"'
swrole use bad; echo "bad=$status"
echo "kept=$AWS_ACCESS_KEY_ID"
swrole list --json; echo "pass=$status"
swrole use --clear; echo "clear=$status"
set -l a; for v in AWS_ACCESS_KEY_ID AWS_SESSION_TOKEN SWROLE_EXTRA SWROLE_PROFILE; set -q $v; and set -a a $$v; or set -a a unset; end
echo "after="(string join , $a)
swrole use; echo "noarg=$status"
swrole use --region eu-west-1; echo "optfirst=$status"
`;
  const r = runShell(['fish', '--no-config', '-c', session]);
  assertSession(r.stdout, r.stderr);
  assert.equal(log()[0], 'env dev --duration 900 --format fish --names-comment');
  assert.equal(log().at(-1), 'env --pick --format fish --names-comment');
  const c = runShell([
    'fish',
    '--no-config',
    '-c',
    `source ./init.fish; complete -C 'swrole sh'; complete -C 'swrole use '; complete -C 'swrole agent g'`,
  ]);
  // fish shows the registry's summary of a command after a tab.
  assert.deepEqual(
    c.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]),
    ['shell-init', 'dev', 'prod admin', 'staging', 'guard'],
  );
});

test('pwsh script is rendered with the same contract (not run: no pwsh in the Debian archive)', () => {
  const text = renderShellInit('pwsh', 'swrole');
  assert.match(text, /& \$bin env @rest --format pwsh --names-comment/);
  assert.match(text, /if \(\$rest.Count -eq 0\) \{\n.*\n {4}\$rest = @\('--pick'\)/);
  assert.match(text, /Register-ArgumentCompleter -Native -CommandName swrole/);
  assert.match(text, /__complete profiles/);
});
