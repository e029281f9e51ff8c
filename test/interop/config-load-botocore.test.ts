// loadAwsConfig against botocore's Session.full_config on the same files: the two-file merge of
// test/unit/config-load.test.ts and samples/ (docs/reference/aws-behaviour.md §1.1, §1.4).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';
import type { AwsConfig } from '../../src/config/types.js';

const h = mkdtempSync(join(tmpdir(), 'swrole-load-botocore-'));
after(() => rmSync(h, { recursive: true, force: true }));
mkdirSync(join(h, '.aws'));
writeFileSync(
  join(h, '.aws', 'config'),
  '[default]\nregion = us-east-1\n[profile base]\nregion = eu-west-1\naws_access_key_id = CONFIGKEY\nmfa_serial = arn:aws:iam::1:mfa/a\n[profile only-config]\nrole_arn = arn:aws:iam::2:role/r\nsource_profile = base\n',
);
writeFileSync(
  join(h, '.aws', 'credentials'),
  '[base]\naws_access_key_id = CREDKEY\naws_secret_access_key = SECRET\n[only-creds]\naws_access_key_id = X\naws_secret_access_key = Y\n[profile base]\nk = v\n',
);

function plain(config: AwsConfig): Record<string, unknown> {
  return Object.fromEntries([...config.profiles].map(([k, p]) => [k, p.values]));
}

describe('merging the two files (botocore full_config)', () => {
  it('matches botocore Session.full_config on the same files (and on samples/)', () => {
    const pairs = [
      [join(h, '.aws', 'config'), join(h, '.aws', 'credentials')],
      ['samples/config', 'samples/credentials'],
    ];
    for (const [cfg, cred] of pairs) {
      const script =
        'import json,sys,botocore.session as s\nx=s.Session()\nx.set_config_variable("config_file",sys.argv[1])\nx.set_config_variable("credentials_file",sys.argv[2])\nf=x.full_config\nprint(json.dumps([f["profiles"],f["sso_sessions"],f["services"]]))';
      const oracle = JSON.parse(
        execFileSync('python3', ['-c', script, cfg as string, cred as string], { encoding: 'utf8', timeout: 30_000 }),
      ) as unknown[];
      const ours = loadAwsConfig({ env: {}, homedir: h }, { configFile: cfg, credentialsFile: cred });
      const section = (m: AwsConfig['ssoSessions']) => Object.fromEntries([...m].map(([k, s]) => [k, s.values]));
      assert.deepEqual(JSON.parse(JSON.stringify([plain(ours), section(ours.ssoSessions), section(ours.services)])), oracle, cfg);
    }
  });
});
