// runChild with real child processes: exit codes, deaths by signal, signal relay, env, spawn errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertNotNested, buildChildEnv } from '../../src/exec/child-env.js';
import { runChild } from '../../src/exec/run-child.js';
import { credentialEnv, envToUnset } from '../../src/output/env-vars.js';
import { bundleHelper } from '../helpers/bundle-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'swrole-exec-'));
after(() => rmSync(dir, { recursive: true, force: true }));
/** test/helpers/exec-runner.ts bundled: the runner process, started without tsx's loader. */
let runnerScript = '';
before(async () => {
  runnerScript = await bundleHelper(join(import.meta.dirname, '../helpers/exec-runner.ts'), dir);
});
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const sh = (script: string) => runChild({ command: 'sh', args: ['-c', script], env: baseEnv, stdio: 'inherit' });

for (const code of [0, 3, 42]) {
  test(`exit code ${code} is mirrored`, async () => assert.equal(await sh(`exit ${code}`), code));
}

test('a child killed by SIGKILL → 137, by SIGTERM → 143', async () => {
  assert.equal(await sh('kill -KILL $$'), 137);
  assert.equal(await sh('kill -TERM $$'), 143);
});

test('arguments reach the child verbatim (no shell re-parsing)', async () => {
  const out = join(dir, 'args');
  const nasty = ['$HOME', '`id`', "it's", 'a b', '*', ''];
  const code = await runChild({ command: 'sh', args: ['-c', 'printf "%s\\0" "$@" > "$0"', out, ...nasty], env: baseEnv, stdio: 'inherit' });
  assert.equal(code, 0);
  assert.deepEqual(readFileSync(out, 'utf8').split('\0').slice(0, -1), nasty);
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT'] as const) {
  test(`${signal} sent to the runner is relayed; the child traps it and the runner exits with its code`, async () => {
    const ready = join(dir, `ready-${signal}`);
    const marker = join(dir, `marker-${signal}`);
    const name = signal.slice(3);
    const script = `trap 'echo got-${name} > "${marker}"; exit 7' ${name}; echo > "${ready}"; i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; exit 99`;
    const runner = spawn(process.execPath, [runnerScript, 'sh', '-c', script], {
      stdio: 'ignore',
    });
    try {
      const exited = new Promise<number | null>((done) => runner.on('exit', (code) => done(code)));
      for (let i = 0; i < 400 && !existsSync(ready); i++) await new Promise((done) => setTimeout(done, 25));
      assert.ok(existsSync(ready), 'child never started');
      runner.kill(signal);
      assert.equal(await exited, 7);
      assert.equal(readFileSync(marker, 'utf8').trim(), `got-${name}`);
    } finally {
      runner.kill('SIGKILL');
    }
  });
}

test('the runner itself exits with 128+n when the child dies of a relayed signal it does not trap', async () => {
  const ready = join(dir, 'ready-untrapped');
  const script = `echo > "${ready}"; i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done`;
  const runner = spawn(process.execPath, [runnerScript, 'sh', '-c', script], {
    stdio: 'ignore',
  });
  try {
    const exited = new Promise<number | null>((done) => runner.on('exit', (code) => done(code)));
    for (let i = 0; i < 400 && !existsSync(ready); i++) await new Promise((done) => setTimeout(done, 25));
    runner.kill('SIGTERM');
    assert.equal(await exited, 143);
  } finally {
    runner.kill('SIGKILL');
  }
});

test('credentials reach the child; conflicting variables are removed', async () => {
  const parent = { ...baseEnv, HOME: dir, AWS_PROFILE: 'old', AWS_SESSION_TOKEN: 'stale', AWS_SECURITY_TOKEN: 'stale', KEEP: 'me' };
  const vars = credentialEnv({ accessKeyId: 'AKIAX', secretAccessKey: "s'/+$" }, { region: 'eu-west-1', profile: 'p' });
  const env = buildChildEnv(parent, vars, envToUnset(vars), 'p');
  const out = join(dir, 'env');
  assert.equal(await runChild({ command: 'sh', args: ['-c', 'env -0 > "$0"', out], env, stdio: 'inherit' }), 0);
  const seen = new Map(
    readFileSync(out, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  assert.equal(seen.get('AWS_ACCESS_KEY_ID'), 'AKIAX');
  assert.equal(seen.get('AWS_SECRET_ACCESS_KEY'), "s'/+$");
  assert.equal(seen.get('AWS_REGION'), 'eu-west-1');
  assert.equal(seen.get('SWROLE_PROFILE'), 'p');
  assert.equal(seen.get('KEEP'), 'me');
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']) assert.equal(seen.has(name), false, name);
});

test('command not found → E_EXEC_NOT_FOUND exit 127; not executable → E_EXEC_NOT_EXECUTABLE exit 126', async () => {
  await assert.rejects(runChild({ command: 'swrole-no-such-command', args: [], env: baseEnv, stdio: 'inherit' }), {
    code: 'E_EXEC_NOT_FOUND',
    exit: 127,
  });
  const script = join(dir, 'not-executable.sh');
  writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
  await assert.rejects(runChild({ command: script, args: [], env: baseEnv, stdio: 'inherit' }), {
    code: 'E_EXEC_NOT_EXECUTABLE',
    exit: 126,
  });
});

test('not-found through the runner process exits 127', async () => {
  const runner = spawn(process.execPath, [runnerScript, 'swrole-no-such-command'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => runner.on('exit', done));
  assert.equal(code, 127);
  assert.match(stderr, /E_EXEC_NOT_FOUND/);
});

test('recursion guard: SWROLE_PROFILE set → E_EXEC_NESTED exit 2 unless forced', () => {
  assert.throws(
    () => assertNotNested({ SWROLE_PROFILE: 'outer' }, false),
    (error: Error & { code?: string; exit?: number; hint?: string }) => {
      assert.equal(error.code, 'E_EXEC_NESTED');
      assert.equal(error.exit, 2);
      assert.match(error.message, /"outer"/);
      assert.match(error.hint ?? '', /--force/);
      assert.match(error.hint ?? '', /swrole use --clear/);
      return true;
    },
  );
  assertNotNested({ SWROLE_PROFILE: 'outer' }, true);
  assertNotNested({}, false);
  assertNotNested({ SWROLE_PROFILE: '' }, false);
});

test('buildChildEnv: a record works like pairs; unsets apply before sets', () => {
  const parent = { AWS_SESSION_TOKEN: 'stale', AWS_PROFILE: 'x', OTHER: 'o' };
  const fromRecord = buildChildEnv(parent, { AWS_SESSION_TOKEN: 'new' }, ['AWS_SESSION_TOKEN', 'AWS_PROFILE'], 'p');
  const fromPairs = buildChildEnv(parent, [['AWS_SESSION_TOKEN', 'new']], ['AWS_SESSION_TOKEN', 'AWS_PROFILE'], 'p');
  assert.deepEqual(fromRecord, { AWS_SESSION_TOKEN: 'new', OTHER: 'o', SWROLE_PROFILE: 'p' });
  assert.deepEqual(fromPairs, fromRecord);
});
