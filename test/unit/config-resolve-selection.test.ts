import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProfile, resolveProfileName, resolveRegion } from '../../src/config/resolve-selection.js';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';

describe('resolveProfileName: flag > AWS_PROFILE > AWS_DEFAULT_PROFILE > default (CLI v2 order)', () => {
  const rows: Array<[Record<string, string>, string | undefined, string]> = [
    [{}, undefined, 'default'],
    [{ AWS_DEFAULT_PROFILE: 'd' }, undefined, 'd'],
    [{ AWS_PROFILE: 'p', AWS_DEFAULT_PROFILE: 'd' }, undefined, 'p'],
    [{ AWS_PROFILE: 'p' }, 'flag', 'flag'],
    [{ AWS_PROFILE: '', AWS_DEFAULT_PROFILE: 'd' }, '', 'd'],
  ];
  for (const [env, flag, expected] of rows) {
    it(`${JSON.stringify(env)} flag=${String(flag)} → ${expected}`, () => assert.equal(resolveProfileName(env, flag), expected));
  }
});

describe('resolveRegion: flag > AWS_REGION > AWS_DEFAULT_REGION > profile region > null', () => {
  const profile = { name: 'p', values: { region: 'from-profile' }, config: undefined, credentials: undefined };
  const rows: Array<[Record<string, string>, string | undefined, boolean, string | null]> = [
    [{}, undefined, false, null],
    [{}, undefined, true, 'from-profile'],
    [{ AWS_DEFAULT_REGION: 'dr' }, undefined, true, 'dr'],
    [{ AWS_REGION: 'r', AWS_DEFAULT_REGION: 'dr' }, undefined, true, 'r'],
    [{ AWS_REGION: 'r' }, 'flag', true, 'flag'],
    [{ AWS_REGION: '' }, '', true, 'from-profile'],
  ];
  for (const [env, flag, withProfile, expected] of rows) {
    it(`${JSON.stringify(env)} flag=${String(flag)} profile=${withProfile} → ${String(expected)}`, () =>
      assert.equal(resolveRegion(env, withProfile ? profile : undefined, flag), expected));
  }
});

describe('findProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swrole-find-'));
  const configFile = join(dir, 'config');
  writeFileSync(configFile, '[profile prod-admin]\nregion = x\n[profile dev-admin]\nregion = y\n[profile Access CustomerA]\nregion = z\n');
  const config = loadAwsConfig({ env: {}, homedir: dir }, { configFile, credentialsFile: join(dir, 'none') });
  rmSync(dir, { recursive: true, force: true });

  it('returns the profile', () => assert.equal(findProfile(config, 'dev-admin').name, 'dev-admin'));
  it('a typo gets "did you mean"', () => {
    assert.throws(() => findProfile(config, 'prod-admn'), { code: 'E_PROFILE_NOT_FOUND', exit: 3, hint: /did you mean "prod-admin"\?/ });
  });
  it('an unrelated name gets where to add it', () => {
    assert.throws(() => findProfile(config, 'zzz'), { code: 'E_PROFILE_NOT_FOUND', hint: /add \[profile zzz\]/ });
  });
  it('a name only present as an ignored unquoted header gets the fix', () => {
    assert.throws(() => findProfile(config, 'Access CustomerA'), {
      code: 'E_PROFILE_NOT_FOUND',
      message: `profile "Access CustomerA" not found: ${configFile}:5 has [profile Access CustomerA], which the AWS CLI and SDKs ignore`,
      hint: 'write [profile "Access CustomerA"] instead',
    });
  });
});
