import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deps } from '../../src/platform/deps.js';
import { run as shellInit } from '../../src/commands/shell-init.js';
import { run as complete } from '../../src/commands/complete.js';
import { SwroleError } from '../../src/errors.js';

function deps(env: Record<string, string>, home: string): Deps & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    env,
    now: () => 0,
    homedir: home,
    cwd: home,
    platform: 'linux',
    user: { uid: 1000, gid: 1000 },
    pid: 1,
    stdout: { write: (t) => void out.push(t) },
    stderr: { write: () => undefined },
    interactive: false,
    readStdin: async () => ({ ok: false, reason: 'no stdin' }),
    nodePath: '/usr/bin/node',
    selfPath: '/x/swrole.js',
  };
}

test('__complete profiles lists config and credentials profiles, one per line', async () => {
  const home = mkdtempSync(join(tmpdir(), 'swrole-complete-'));
  try {
    writeFileSync(
      join(home, 'config'),
      '[default]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = default\n[profile "Access CustomerA"]\nregion = us-east-1\n[sso-session s]\nsso_region = us-east-1\n',
    );
    writeFileSync(
      join(home, 'credentials'),
      '[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\n[legacy]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\n',
    );
    const d = deps({ AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') }, home);
    assert.equal(await complete(['profiles'], d), 0);
    assert.deepEqual(d.out.join('').split('\n').filter(Boolean).sort(), ['Access CustomerA', 'default', 'dev', 'legacy']);
    assert.ok(!d.out.join('').includes('AKIA'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('__complete profiles prints nothing and exits 0 when there is no config', async () => {
  const d = deps({ AWS_CONFIG_FILE: '/nonexistent/c', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/k' }, '/nonexistent');
  assert.equal(await complete(['profiles'], d), 0);
  assert.equal(d.out.join(''), '');
});

test('shell-init prints the script for each shell; unknown shells and relative paths are usage errors', async () => {
  for (const shell of ['bash', 'zsh', 'fish', 'pwsh']) {
    const d = deps({}, '/h');
    assert.equal(await shellInit([shell], d), 0);
    assert.match(d.out.join(''), /swrole/);
  }
  const pinned = deps({}, '/h');
  await shellInit(['bash', '--path', "/opt/it's/swrole"], pinned);
  assert.match(pinned.out.join(''), /command '\/opt\/it'\\''s\/swrole' env "\$@" --format sh/);
  for (const args of [[], ['tcsh'], ['bash', 'zsh'], ['bash', '--path', 'rel/swrole']]) {
    await assert.rejects(shellInit(args, deps({}, '/h')), (e: unknown) => e instanceof SwroleError && e.exit === 2);
  }
});
