// Issue 15 (low): the bash/zsh `use` wrapper derived the names `use --clear` unsets with sed over the whole
// `swrole env` output, so a multi-line value holding `export PATH=...` made `use --clear` unset PATH (fish and
// pwsh had the same flaw with their own syntax). The names now come from the first line of
// `swrole env --names-comment`, which swrole writes before any value. The real binary, a credential_process whose
// secret carries a line of each shell's syntax, and the real shells.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, ensureBuilt } from '../helpers/swrole-run.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** A secret with a line for each shell's export syntax, quotes, and a command substitution. */
const HOSTILE = [
  'first',
  'export PATH=/nowhere',
  'set -gx PATH /nowhere',
  "$env:PATH = 'x'",
  'export HOME= SWROLE_TRAP=1',
  "unset PATH; export FOO='$(touch pwned)'",
].join('\n');

let dir = '';
let env: Record<string, string> = {};
let wrapper = '';
let oldBinary = '';

before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'swrole-use-clear-'));
  const proc = join(dir, 'creds.mjs');
  writeFileSync(
    proc,
    `process.stdout.write(${JSON.stringify(
      JSON.stringify({
        Version: 1,
        AccessKeyId: 'ASIAHOSTILEVALUE0001',
        SecretAccessKey: HOSTILE,
        SessionToken: 'token',
        Expiration: '2099-01-01T00:00:00Z',
      }),
    )});\n`,
  );
  const config = join(dir, 'config');
  writeFileSync(config, `[profile hostile]\ncredential_process = "${process.execPath}" "${proc}"\nregion = eu-west-1\n`);
  writeFileSync(join(dir, 'credentials'), '', { mode: 0o600 });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  wrapper = join(bin, 'swrole');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${DIST}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  // A binary without --names-comment (an older swrole behind a newer shell-init): exports, no names line.
  oldBinary = join(bin, 'old-swrole');
  writeFileSync(oldBinary, `#!/bin/sh\necho "export AWS_ACCESS_KEY_ID='AKIAOLDBINARY0000001'"\n`);
  chmodSync(oldBinary, 0o755);
  env = {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: dir,
    SWROLE_HOME: join(dir, 'state'),
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
  };
});
after(() => rmSync(dir, { recursive: true, force: true }));

function requireShell(t: TestContext, shell: string): boolean {
  if (spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0) return true;
  if (process.env.CI === 'true') assert.fail(`${shell} is not installed`);
  t.skip(`${shell} is not installed`);
  return false;
}

function run(shell: Shell, script: string) {
  const args =
    shell === 'fish' ? ['--no-config', '-c', script] : shell === 'zsh' ? ['-f', '-c', script] : ['--norc', '--noprofile', '-c', script];
  const r = spawnSync(shell, args, { env, cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function session(shell: Shell, binary: string): string {
  const expected = join(dir, 'expected');
  writeFileSync(expected, HOSTILE);
  if (shell === 'fish') {
    return `swrole shell-init fish --path ${binary} | source
set -l before $PATH
swrole use hostile; echo "use=$status"
if test "$AWS_SECRET_ACCESS_KEY" = (string collect < ${expected}); echo secret=exact; else; echo secret=mangled; end
swrole use --clear; echo "clear=$status"
test (string join : $PATH) = (string join : $before); and echo path=kept; or echo "path=LOST:$PATH"
echo "home=$HOME"
set -q AWS_SECRET_ACCESS_KEY; and echo left=secret; or echo left=none
set -q FOO; and echo foo=set; or echo foo=unset
set -q SWROLE_TRAP; and echo trap=set; or echo trap=unset`;
  }
  return `eval "$(swrole shell-init ${shell} --path ${binary})"
before="$PATH"
swrole use hostile; echo "use=$?"
if [ "$AWS_SECRET_ACCESS_KEY" = "$(cat ${expected})" ]; then echo secret=exact; else echo secret=mangled; fi
swrole use --clear; echo "clear=$?"
if [ "$PATH" = "$before" ]; then echo path=kept; else echo "path=LOST:\${PATH-unset}"; fi
echo "home=\${HOME-unset}"
echo "left=\${AWS_SECRET_ACCESS_KEY+secret}"
echo "foo=\${FOO-unset}"
echo "trap=\${SWROLE_TRAP-unset}"`;
}

describe('swrole use --clear unsets what use set, whatever the values hold', () => {
  for (const shell of SHELLS) {
    it(`${shell}: a secret with export lines round-trips; --clear keeps PATH and HOME`, (t) => {
      if (!requireShell(t, shell)) return;
      const r = run(shell, session(shell, wrapper));
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.deepEqual(lines, [
        'use=0',
        'secret=exact',
        'clear=0',
        'path=kept',
        `home=${dir}`,
        shell === 'fish' ? 'left=none' : 'left=',
        'foo=unset',
        'trap=unset',
      ]);
    });
  }

  it('swrole env --names-comment: the first line, only for the shells that read it', () => {
    const env1 = spawnSync(process.execPath, [DIST, 'env', 'hostile', '--names-comment'], { env, encoding: 'utf8' });
    assert.equal(env1.status, 0, env1.stderr);
    assert.equal(
      env1.stdout.split('\n')[0],
      '# swrole-names: AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_REGION AWS_DEFAULT_REGION SWROLE_PROFILE SWROLE_EXPIRATION',
    );
    const json = spawnSync(process.execPath, [DIST, 'env', 'hostile', '--format', 'json', '--names-comment'], { env, encoding: 'utf8' });
    assert.equal(json.status, 2);
    assert.match(json.stderr, /--names-comment needs --format sh, fish, pwsh/);
  });

  it('bash: an env output without the names line is refused, not evaluated', (t) => {
    if (!requireShell(t, 'bash')) return;
    const r = run(
      'bash',
      `eval "$(swrole shell-init bash --path ${oldBinary})"
swrole use hostile; echo "use=$?"
echo "key=\${AWS_ACCESS_KEY_ID-unset}"`,
    );
    assert.match(r.stdout, /^use=1$/m, r.stderr);
    assert.match(r.stdout, /^key=unset$/m);
    assert.match(r.stderr, /swrole env printed no list of names/);
  });
});

// Issue 13: `use --clear` restores what the shell had before `use` (AWS_REGION, AWS_PROFILE), not nothing; two
// `use`s in a row still restore the state before the first; values are data ($(...), quotes, spaces).
describe('swrole use --clear restores what the shell had before `use`', () => {
  const PROFILE = `my 'dev' $(touch pwned) profile`;
  for (const shell of SHELLS) {
    it(`${shell}: AWS_PROFILE, AWS_REGION and keys come back; what was unset stays unset`, (t) => {
      if (!requireShell(t, shell)) return;
      const script =
        shell === 'fish'
          ? `swrole shell-init fish --path ${wrapper} | source
set -gx AWS_PROFILE ${quoteFishWord(PROFILE)}; set -gx AWS_REGION ap-northeast-1; set -gx AWS_ACCESS_KEY_ID AKIAMYOWNKEY00000001
swrole use hostile --region eu-west-1; echo "use=$status profile=$AWS_PROFILE region=$AWS_REGION"
swrole use hostile; echo "again=$status"
swrole use --clear; echo "clear=$status"
echo "profile=$AWS_PROFILE"; echo "region=$AWS_REGION"; echo "key=$AWS_ACCESS_KEY_ID"
set -q AWS_DEFAULT_REGION; and echo default-region=set; or echo default-region=unset
set -q AWS_SESSION_TOKEN; and echo token=set; or echo token=unset
env | grep -c '^AWS_PROFILE=' | string replace -r '^' 'exported='
swrole use --clear; echo "clear2=$status profile=$AWS_PROFILE"`
          : `eval "$(swrole shell-init ${shell} --path ${wrapper})"
export AWS_PROFILE=${quoteShWord(PROFILE)} AWS_REGION=ap-northeast-1 AWS_ACCESS_KEY_ID=AKIAMYOWNKEY00000001
swrole use hostile --region eu-west-1; echo "use=$? profile=\${AWS_PROFILE-} region=$AWS_REGION"
swrole use hostile; echo "again=$?"
swrole use --clear; echo "clear=$?"
echo "profile=$AWS_PROFILE"; echo "region=$AWS_REGION"; echo "key=$AWS_ACCESS_KEY_ID"
echo "default-region=\${AWS_DEFAULT_REGION-unset}"
echo "token=\${AWS_SESSION_TOKEN-unset}"
echo "exported=$(env | grep -c '^AWS_PROFILE=')"
swrole use --clear; echo "clear2=$? profile=$AWS_PROFILE"`;
      const r = run(shell, script);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n'), [
        'use=0 profile= region=eu-west-1',
        'again=0',
        'clear=0',
        `profile=${PROFILE}`,
        'region=ap-northeast-1',
        'key=AKIAMYOWNKEY00000001',
        'default-region=unset',
        'token=unset',
        'exported=1',
        `clear2=0 profile=${PROFILE}`,
      ]);
      assert.equal(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.includes('pwned'), false, 'a value ran as code');
    });
  }
});

const quoteShWord = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const quoteFishWord = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
