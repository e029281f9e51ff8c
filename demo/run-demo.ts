// `npm run demo`: swrole's main job end to end against the local STS emulator, in a throwaway HOME.
// Nothing here touches real AWS: every STS call goes to 127.0.0.1. Narration goes to stderr.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess } from './emulator-process.js';
import { totp } from '../emulator/totp.js';
import type { World } from '../emulator/world.js';
import { formatSsoTime, renderSsoToken } from '../src/sso/sso-token-file.js';
import { tokenCacheKey } from '../src/sso/sso-cache-names.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swrole = join(root, 'dist', 'swrole.js');
const world = JSON.parse(readFileSync(join(root, 'demo', 'world.json'), 'utf8')) as World;
const user = world.accounts['333333333333']!.users!['example.user']!;
const key = user.accessKeys[0]!;
const device = user.mfa![0]!;

const START_URL = 'https://d-1234567890.awsapps.com/start';
const say = (text: string) => process.stderr.write(`\n\x1b[1m▶ ${text}\x1b[0m\n`);
const show = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

const emulator = await startEmulatorProcess(join(root, 'demo', 'world.json'));
const home = mkdtempSync(join(tmpdir(), 'swrole-demo-'));
mkdirSync(join(home, '.aws'), { mode: 0o700 });
writeFileSync(
  join(home, '.aws', 'config'),
  `[default]
region = eu-west-1

# A role in account 111111111111, reached from the base user with MFA.
[profile CustomerA]
role_arn = arn:aws:iam::111111111111:role/RoleA
source_profile = Access Base
mfa_serial = ${device.serial}
region = eu-west-1

# A profile name with spaces must be quoted in the config file.
[profile "Customer B ReadOnly"]
role_arn = arn:aws:iam::222222222222:role/RoleReadOnly
source_profile = Access Base
mfa_serial = ${device.serial}
region = us-east-2

# IAM Identity Center: one sign-in (shared with the AWS CLI) for every account it is assigned.
[sso-session corp]
sso_start_url = ${START_URL}
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile DeveloperSSO]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

# A role in another account, reached from the SSO profile.
[profile AppDeploy]
role_arn = arn:aws:iam::222222222222:role/AppDeploy
source_profile = DeveloperSSO
region = eu-west-1
`,
  { mode: 0o600 },
);
writeFileSync(
  join(home, '.aws', 'credentials'),
  `# Long-term keys of the base user (a section name with a space is fine in this file).
[Access Base]
aws_access_key_id = ${key.id}
aws_secret_access_key = ${key.secret}
`,
  { mode: 0o600 },
);

const env: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  SWROLE_HOME: join(home, '.cache', 'swrole'),
  AWS_ENDPOINT_URL_STS: emulator.url,
  AWS_ENDPOINT_URL_SSO: emulator.url,
  AWS_ENDPOINT_URL_SSO_OIDC: emulator.url,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // The demo is not a terminal session: swrole must never prompt here.
  SWROLE_NO_PROMPT: '1',
};

let failures = 0;
function run(args: string[], options: { cmd?: string; extraEnv?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  const cmd = options.cmd ?? process.execPath;
  const argv = options.cmd ? args : [swrole, ...args];
  const prefix = Object.entries(options.extraEnv ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  show(`$ ${prefix}${options.cmd ? [cmd, ...args].join(' ') : ['swrole', ...args.map((a) => (/\s/.test(a) ? `'${a}'` : a))].join(' ')}`);
  const result = spawnSync(cmd, argv, { env: { ...env, ...options.extraEnv }, encoding: 'utf8', timeout: 30_000, cwd: root });
  if (result.stdout) show(result.stdout);
  if (result.stderr) show(result.stderr.trimEnd());
  if (result.status !== 0) {
    failures += 1;
    show(`  (exit ${result.status})`);
  }
  return result;
}

const mask = (text: string) => text.replace(/("SecretAccessKey"\s*:\s*")[^"]+/g, '$1…').replace(/("SessionToken"\s*:\s*")[^"]+/g, '$1…');

try {
  show(`STS emulator on ${emulator.url}; throwaway HOME ${home}`);

  say('1. The profiles swrole sees (the files are read exactly as the AWS CLI reads them)');
  run(['list']);

  say('2. Log in once with MFA: one GetSessionToken, reused by every role behind this user');
  const code = totp(device.totpSecret, await emulator.now());
  run(['login', 'CustomerA', '--mfa-code', code]);

  say('3. Who am I in each account? No further MFA prompt');
  run(['whoami', 'CustomerA']);
  run(['whoami', 'Customer B ReadOnly']);

  say('4. Run an unmodified AWS SDK script with the role (swrole exec)');
  run(['exec', 'CustomerA', '--', process.execPath, join(root, 'demo', 'sdk-whoami.mjs')]);

  say('5. credential_process: any SDK or tool, fresh process, cached credentials, no prompt');
  const processOut = spawnSync(process.execPath, [swrole, 'process', 'CustomerA'], { env, encoding: 'utf8' });
  show('$ swrole process CustomerA');
  show(mask(processOut.stdout));
  if (processOut.status !== 0) failures += 1;
  run(['setup', 'CustomerA']);
  run([join(root, 'demo', 'sdk-whoami.mjs')], { cmd: process.execPath, extraEnv: { AWS_PROFILE: 'CustomerA.swrole' } });

  say('6. Exports for the current shell: eval "$(swrole env \'Customer B ReadOnly\')"');
  const envOut = spawnSync(process.execPath, [swrole, 'env', 'Customer B ReadOnly'], { env, encoding: 'utf8' });
  show("$ swrole env 'Customer B ReadOnly'");
  show(envOut.stdout.replace(/(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)='[^']*'/g, "$1='…'"));
  if (envOut.status !== 0) failures += 1;

  say('7. IAM Identity Center: a sign-in made earlier is shared (here the emulator plays `aws sso login`)');
  // A person would run `swrole login 'DeveloperSSO'` (browser or --device-code); the demo has no person, so the
  // emulator issues the sign-in and the token is written where and as the AWS CLI writes it.
  const issued = (await (
    await fetch(`${emulator.url}/__emulator/sso/issue`, { method: 'POST', body: JSON.stringify({ startUrl: START_URL }) })
  ).json()) as {
    accessToken: string;
    expiresIn: number;
    refreshToken: string;
    clientId: string;
    clientSecret: string;
    clientSecretExpiresAt: number;
  };
  const cacheDir = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(cacheDir, `${tokenCacheKey('corp', START_URL)}.json`),
    renderSsoToken({
      startUrl: START_URL,
      region: 'eu-west-1',
      accessToken: issued.accessToken,
      expiresAt: formatSsoTime(Date.now() + issued.expiresIn * 1000),
      clientId: issued.clientId,
      clientSecret: issued.clientSecret,
      registrationExpiresAt: formatSsoTime(issued.clientSecretExpiresAt * 1000),
      refreshToken: issued.refreshToken,
    }),
    { mode: 0o600 },
  );
  run(['login', 'DeveloperSSO']);
  run(['whoami', 'AppDeploy']);
  run(['sso', 'profiles', 'DeveloperSSO']);

  const counts = await emulator.counts();
  say('Summary');
  show(
    `${failures === 0 ? 'demo passed' : `demo FAILED (${failures} step(s))`}: ` +
      `${counts.GetSessionToken ?? 0} GetSessionToken, ${counts.AssumeRole ?? 0} AssumeRole, ` +
      `${counts.GetCallerIdentity ?? 0} GetCallerIdentity, ${counts.GetRoleCredentials ?? 0} GetRoleCredentials at the emulator; ` +
      'one MFA code for two accounts, one SSO sign-in for the third role.',
  );
} finally {
  emulator.close();
  rmSync(home, { recursive: true, force: true });
}
process.exitCode = failures === 0 ? 0 : 1;
