// The agent-scope spec sheet's config (a profile with region, services and a sub-section, one tagged, one with a
// space) on real temp files: test/unit/agent-scope.test.ts and test/interop/agent-view-botocore.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';

export const CONFIG = `[profile a]
role_arn = arn:aws:iam::111111111111:role/RoleA
source_profile = base
mfa_serial = arn:aws:iam::333333333333:mfa/u
region = eu-west-1
output = json
services = emu
swrole_session_policy_arns = arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
s3 =
  addressing_style = path

[profile tagged]
role_arn = arn:aws:iam::111111111111:role/RoleA
source_profile = base
source_identity = fixed-id
swrole_agent_tags = false
role_session_name = mine

[profile "with space"]
role_arn = arn:aws:iam::111111111111:role/RoleA
source_profile = base

[services emu]
sts =
  endpoint_url = http://127.0.0.1:9
`;

export function world() {
  const dir = mkdtempSync(join(tmpdir(), 'swrole-agent-unit-'));
  writeFileSync(join(dir, 'config'), CONFIG);
  writeFileSync(join(dir, 'credentials'), '[base]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = s3cr3t\n');
  const config = loadAwsConfig({ env: {}, homedir: dir }, { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') });
  return { dir, config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
