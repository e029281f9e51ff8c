import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { DIST, ensureBuilt } from '../helpers/swrole-run.js';

ensureBuilt();

/** The built `swrole agent guard` with a real pipe as stdin, as Claude Code runs a command hook. */
function runGuard(
  args: string[],
  input: string | undefined,
  closeStdin = true,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [DIST, 'agent', 'guard', ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // the guard stops reading an oversized input: EPIPE is expected
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (input !== undefined) child.stdin.write(input);
    if (closeStdin) child.stdin.end();
  });
}

const hook = (command: string): string => JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });

test('denies another profile with the documented JSON on stdout, exit 0', async () => {
  const r = await runGuard(['--allow', 'dev-ro,staging'], hook('aws s3 ls --profile prod'));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  assert.equal(out.hookSpecificOutput.permissionDecision, 'deny');
  assert.match(out.hookSpecificOutput.permissionDecisionReason, /allowed: dev-ro, staging/);
});

test('allows a granted profile silently (no JSON allow that would skip permission rules)', async () => {
  const r = await runGuard(['--allow', 'dev-ro', '--allow', 'staging'], hook('aws s3 ls --profile staging'));
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
});

test('malformed input is allowed with a note on stderr', async () => {
  const r = await runGuard(['--allow', 'dev-ro'], '{not json');
  assert.deepEqual([r.code, r.stdout], [0, '']);
  assert.match(r.stderr, /not JSON; allowing/);
});

test('an input that never ends times out after about 1 s and allows', async () => {
  const r = await runGuard(['--allow', 'dev-ro'], hook('aws s3 ls --profile prod'), false);
  assert.deepEqual([r.code, r.stdout], [0, '']);
  assert.match(r.stderr, /within 1000 ms; allowing/);
  assert.ok(r.ms < 10000, `took ${r.ms} ms`);
});

test('oversized input is refused (allow + note), not buffered', async () => {
  const r = await runGuard(['--allow', 'dev-ro'], 'x'.repeat(2 * 1024 * 1024));
  assert.equal(r.code, 0);
  assert.match(r.stderr, /larger than/);
});

test('an unknown flag is a usage error (exit 2)', async () => {
  const r = await runGuard(['--nope'], '');
  assert.equal(r.code, 2);
});
