// The README's first command must keep working: run the demo walkthrough as `npm run demo` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('npm run demo: every step passes against the emulator, narrated on stderr, nothing secret shown', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'demo/run-demo.ts'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '', 'the demo narrates on stderr only');
  assert.match(r.stderr, /demo passed: 1 GetSessionToken, 3 AssumeRole, \d+ GetCallerIdentity, 1 GetRoleCredentials/);
  assert.match(r.stderr, /assumed-role\/AppDeploy\//, 'a role in another account reached from the SSO profile');
  assert.match(r.stderr, /\[profile customer-b\.ReadOnly\]/);
  assert.match(r.stderr, /assumed-role\/RoleA\//);
  assert.match(r.stderr, /assumed-role\/RoleReadOnly\//);
  assert.doesNotMatch(r.stderr, /demoSecretKeyForExampleUser/, 'the base user secret is never printed');
  assert.doesNotMatch(r.stderr, /"SecretAccessKey":"[^…]/, 'role secrets are masked in the narration');
});
