/**
 * loadAwsConfig on real temp files: where the files are (env vars, ~ and $VAR), how the two files
 * merge (docs/reference/aws-behaviour.md §1.1, §1.4), missing/unreadable files. botocore's verdict on the same
 * files: test/interop/config-load-botocore.test.ts; the 5,000-profile load time: `npm run bench`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';
import type { AwsConfig } from '../../src/config/types.js';

const root = mkdtempSync(join(tmpdir(), 'swrole-load-'));
after(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function home(files: { config?: string; credentials?: string } = {}): string {
  const dir = join(root, `home${counter++}`);
  mkdirSync(join(dir, '.aws'), { recursive: true });
  if (files.config !== undefined) writeFileSync(join(dir, '.aws', 'config'), files.config);
  if (files.credentials !== undefined) writeFileSync(join(dir, '.aws', 'credentials'), files.credentials);
  return dir;
}

function plain(config: AwsConfig): Record<string, unknown> {
  return Object.fromEntries([...config.profiles].map(([k, p]) => [k, p.values]));
}

describe('file locations', () => {
  it('defaults to ~/.aws/config and ~/.aws/credentials', () => {
    const h = home({ config: '[default]\nregion = r1\n', credentials: '[default]\naws_access_key_id = A\n' });
    const c = loadAwsConfig({ env: {}, homedir: h });
    assert.equal(c.configFile, join(h, '.aws', 'config'));
    assert.equal(c.credentialsFile, join(h, '.aws', 'credentials'));
    assert.deepEqual(plain(c), { default: { region: 'r1', aws_access_key_id: 'A' } });
  });

  const h = home();
  writeFileSync(join(h, 'alt-config'), '[profile alt]\nregion = r2\n');
  writeFileSync(join(h, 'alt-creds'), '[altc]\naws_access_key_id = B\n');
  const rows: Array<[string, Record<string, string>, string[]]> = [
    [
      'AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE absolute',
      { AWS_CONFIG_FILE: join(h, 'alt-config'), AWS_SHARED_CREDENTIALS_FILE: join(h, 'alt-creds') },
      ['alt', 'altc'],
    ],
    ['~ is the home directory', { AWS_CONFIG_FILE: '~/alt-config', AWS_SHARED_CREDENTIALS_FILE: '~/alt-creds' }, ['alt', 'altc']],
    ['$VAR and ${VAR} expand', { D: h, AWS_CONFIG_FILE: '$D/alt-config', AWS_SHARED_CREDENTIALS_FILE: '${D}/alt-creds' }, ['alt', 'altc']],
    ['unknown $VAR stays literal (file then missing)', { AWS_CONFIG_FILE: '$NOPE/alt-config' }, []],
    ['empty env var = unset (default location)', { AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '' }, []],
  ];
  for (const [rule, env, names] of rows) {
    it(rule, () => assert.deepEqual([...loadAwsConfig({ env, homedir: h }).profiles.keys()], names));
  }

  it('explicit files win over the env vars', () => {
    const c = loadAwsConfig({ env: { AWS_CONFIG_FILE: '/nope' }, homedir: h }, { configFile: join(h, 'alt-config') });
    assert.deepEqual([...c.profiles.keys()], ['alt']);
  });

  it('missing files are silently empty', () => {
    const c = loadAwsConfig({ env: {}, homedir: join(root, 'no-such-home') });
    assert.equal(c.profiles.size, 0);
    assert.deepEqual(c.warnings, []);
  });

  it('a directory is E_CONFIG_READ (exit 3) naming the path', () => {
    const dirHome = home();
    assert.throws(() => loadAwsConfig({ env: { AWS_CONFIG_FILE: join(dirHome, '.aws') }, homedir: dirHome }), {
      code: 'E_CONFIG_READ',
      exit: 3,
      message: `${join(dirHome, '.aws')} is a directory`,
    });
  });

  it('a parse error names the file and line', () => {
    const bad = home({ config: '[default]\nregion = x\nbroken\n' });
    assert.throws(() => loadAwsConfig({ env: {}, homedir: bad }), {
      code: 'E_CONFIG_PARSE',
      message: `${join(bad, '.aws', 'config')}:3: line has no "=" separator: "broken"`,
    });
  });
});

describe('merging the two files (botocore full_config)', () => {
  const config =
    '[default]\nregion = us-east-1\n[profile base]\nregion = eu-west-1\naws_access_key_id = CONFIGKEY\nmfa_serial = arn:aws:iam::1:mfa/a\n[profile only-config]\nrole_arn = arn:aws:iam::2:role/r\nsource_profile = base\n';
  const credentials =
    '[base]\naws_access_key_id = CREDKEY\naws_secret_access_key = SECRET\n[only-creds]\naws_access_key_id = X\naws_secret_access_key = Y\n[profile base]\nk = v\n';
  const h = home({ config, credentials });
  const c = loadAwsConfig({ env: {}, homedir: h });

  it('credentials keys override config keys per key', () => {
    assert.deepEqual(c.profiles.get('base')?.values, {
      region: 'eu-west-1',
      aws_access_key_id: 'CREDKEY',
      mfa_serial: 'arn:aws:iam::1:mfa/a',
      aws_secret_access_key: 'SECRET',
    });
  });
  it("each file's own section is kept (which file the keys came from)", () => {
    const base = c.profiles.get('base');
    assert.equal(base?.config?.values.aws_access_key_id, 'CONFIGKEY');
    assert.equal(base?.credentials?.values.aws_access_key_id, 'CREDKEY');
    assert.equal(base?.credentials?.keyLines.aws_access_key_id, 2);
    assert.equal(c.profiles.get('only-config')?.credentials, undefined);
    assert.equal(c.profiles.get('only-creds')?.config, undefined);
  });
  it('order: config profiles first, then credentials-only ones; [profile base] in credentials is literal', () => {
    assert.deepEqual([...c.profiles.keys()], ['default', 'base', 'only-config', 'only-creds', 'profile base']);
    assert.ok(c.warnings.some((w) => w.code === 'W_CREDENTIALS_PROFILE_PREFIX' && w.line === 7));
  });
  it('ignored headers are reported for findProfile', () => {
    const ih = home({ config: '[profile Access CustomerA]\nregion = x\n' });
    assert.deepEqual(
      loadAwsConfig({ env: {}, homedir: ih }).ignoredSections?.map((s) => [s.intendedName, s.fix, s.line]),
      [['Access CustomerA', '[profile "Access CustomerA"]', 1]],
    );
  });
});

describe('size', () => {
  // How long this takes is `npm run bench`'s question (bench/config-load.ts), not a test's.
  it('5,000 profiles load, every one of them', () => {
    let config = '[default]\nregion = us-east-1\n';
    for (let i = 0; i < 5000; i++) {
      config += `\n# account ${i}\n[profile role-${i}]\nrole_arn = arn:aws:iam::${String(100000000000 + i)}:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\nregion = eu-west-1\n`;
    }
    const h = home({ config, credentials: '[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n' });
    const c = loadAwsConfig({ env: {}, homedir: h });
    assert.equal(c.profiles.size, 5002);
    assert.equal(c.profiles.get('role-4999')?.values.role_arn, 'arn:aws:iam::100000004999:role/Admin');
  });
});
