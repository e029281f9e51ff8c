// Each format is evaluated by the real consumer (bash, zsh, dash, fish, pwsh when installed, python-dotenv,
// botocore's credential_process provider) and every nasty value must come back byte for byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { renderCredentialProcess } from '../../src/output/credential-process-json.js';
import { renderEnv, type EnvFormat } from '../../src/output/render-env.js';

const dir = mkdtempSync(join(tmpdir(), 'swrole-output-shells-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NASTY: Array<[string, string]> = [
  ['V_QUOTES', `it's "quoted" ‘typographic’ ’`],
  ['V_DOLLAR', '$HOME ${HOME} $(id) `id` $1 \\$HOME'],
  ['V_SPACES', '  leading and trailing  '],
  ['V_NEWLINES', 'line one\nline two\r\nline three\n'],
  ['V_BACKSLASH', 'C:\\path\\ends\\'],
  ['V_UNICODE', 'Grüße 日本語 🚀 \u00a0nbsp'],
  ['V_META', '; & | < > * ? [a] {b,c} ~ # ! % ^ -n -e'],
  ['V_EMPTY', ''],
  ['AWS_SECRET_ACCESS_KEY', 'wJalr/K7MDENG+bPxRfiCYEXAMPLEKEY=='],
];
const UNSET = ['AWS_PROFILE', 'AWS_SECURITY_TOKEN'];
const parentEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, AWS_PROFILE: 'stale', AWS_SECURITY_TOKEN: 'stale' };

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** The environment the shell exports after evaluating the file, read with `env -0` (exact bytes). */
function envAfter(command: string, args: string[]): Map<string, string> {
  const run = spawnSync(command, args, { env: parentEnv, encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, `${command}: ${run.stderr}`);
  const out = new Map<string, string>();
  for (const entry of run.stdout.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return out;
}

function check(env: Map<string, string>, vars: Array<[string, string]>): void {
  for (const [name, value] of vars) assert.equal(env.get(name), value, name);
  for (const name of UNSET) assert.equal(env.has(name), false, `${name} should be unset`);
}

function script(format: EnvFormat, vars: Array<[string, string]>): string {
  const file = join(dir, `env.${format}`);
  writeFileSync(file, renderEnv(vars, UNSET, format));
  return file;
}

for (const shell of ['bash', 'zsh', 'dash']) {
  test(`sh format round-trips through ${shell}`, (t) => {
    if (!hasCommand(shell)) return t.skip(`${shell} is not installed`);
    check(envAfter(shell, ['-c', '. "$1" && exec env -0', 'sh', script('sh', NASTY)]), NASTY);
  });
}

test('sh format also works through eval "$(...)"', () => {
  const file = script('sh', NASTY);
  check(envAfter('bash', ['-c', 'eval "$(cat "$1")" && exec env -0', 'sh', file]), NASTY);
});

test('fish format round-trips through fish', (t) => {
  if (!hasCommand('fish')) return t.skip('fish is not installed');
  check(envAfter('fish', ['-c', 'source $argv[1]; and exec env -0', script('fish', NASTY)]), NASTY);
});

test('pwsh format round-trips through PowerShell', (t) => {
  if (!hasCommand('pwsh')) return t.skip('pwsh is not installed on this machine; the pwsh quoting is covered by unit tests');
  // pwsh normalises nothing in verbatim strings, but `env` is a native command: read through it as well.
  check(envAfter('pwsh', ['-NoProfile', '-NonInteractive', '-Command', `. '${script('pwsh', NASTY)}'; & env -0`]), NASTY);
});

test('dotenv format round-trips through python-dotenv (values without $ or a trailing backslash)', (t) => {
  const probe = spawnSync('python3', ['-c', 'import dotenv'], { stdio: 'ignore' });
  if (probe.status !== 0) return t.skip('python-dotenv is not installed');
  const vars: Array<[string, string]> = [
    ...NASTY.filter(([, value]) => !value.includes('$') && !value.endsWith('\\')),
    ['V_INNER_BACKSLASH', 'a\\"b\\\\c\\nd \\ e'],
  ];
  const file = script('dotenv', vars);
  const run = spawnSync('python3', ['-c', 'import dotenv, json, sys; print(json.dumps(dotenv.dotenv_values(sys.argv[1])))', file], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), Object.fromEntries(vars));
});

test('json format round-trips through JSON.parse', () => {
  assert.deepEqual(JSON.parse(renderEnv(NASTY, UNSET, 'json')), Object.fromEntries(NASTY));
});

test('credential_process JSON is accepted by botocore as a credential_process', (t) => {
  if (spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status !== 0) return t.skip('botocore missing');
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  const json = join(dir, 'process.json');
  writeFileSync(json, renderCredentialProcess({ accessKeyId: 'ASIAX', secretAccessKey: 's/+=', sessionToken: 'tok', expiration }));
  const config = join(dir, 'config');
  writeFileSync(config, `[profile p]\ncredential_process = cat ${json}\n`);
  const run = spawnSync(
    'python3',
    [
      '-c',
      'import botocore.session, json; c = botocore.session.Session(profile="p").get_credentials().get_frozen_credentials(); print(json.dumps([c.access_key, c.secret_key, c.token]))',
    ],
    { encoding: 'utf8', env: { PATH: parentEnv.PATH, HOME: dir, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') } },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), ['ASIAX', 's/+=', 'tok']);
});
