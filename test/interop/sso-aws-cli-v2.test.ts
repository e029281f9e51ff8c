// IAM Identity Center shared both ways with the AWS CLI v2 (issue 11, docs/reference/sso-keyring-console.md D.3 A3,
// A1's export-credentials, A4): Debian's awscli 2.9.19 at /usr/bin/aws is the oracle. It ignores
// AWS_ENDPOINT_URL_* (that came in 2.13), so it reaches the emulator through AWS_DATA_PATH endpoint rule sets for
// sso, sso-oidc and sts (reference D.2). `aws sso login --no-browser` (device code, approved by the emulator) →
// swrole uses its token with no sign-in of its own; `swrole login --device-code` → the CLI uses swrole's token,
// also after swrole refreshed it. Locally skipped when /usr/bin/aws is absent; in CI (.ci/run installs awscli) it
// must run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDetached } from '../helpers/run-detached.js';
import { formatSsoTime } from '../../src/sso/sso-token-file.js';
import { REGISTRATION_FILE, ssoCacheDir } from '../helpers/sso-world.js';
import { inTerminal, OIDC_ACTIONS, useSsoSuite } from '../helpers/sso-suite.js';

const AWS_V2 = '/usr/bin/aws';
/** Where Debian's awscli keeps botocore's service data (the rule sets copied for their parameters). */
const SHIPPED = '/usr/lib/python3/dist-packages/awscli/botocore/data';
const RULE_SETS = [
  ['sso', '2019-06-10'],
  ['sso-oidc', '2019-06-10'],
  ['sts', '2011-06-15'],
] as const;
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const skip = existsSync(AWS_V2) || inCi ? false : `${AWS_V2} (the AWS CLI v2) is not installed: apt-get install awscli (CI installs it)`;

let dataPath: string;
const sso = useSsoSuite({
  setup: (suite) => {
    if (skip) return;
    assert.ok(existsSync(AWS_V2), `${AWS_V2} is required in CI: install the Debian package awscli (the AWS CLI v2)`);
    dataPath = join(suite.box.dir, 'aws-data');
    writeRuleSets(dataPath, suite.emu.url);
  },
});

/** Every endpoint of sso, sso-oidc and sts resolves to the emulator; `parameters` as shipped (sts adds UseGlobalEndpoint). */
function writeRuleSets(dir: string, url: string): void {
  for (const [service, version] of RULE_SETS) {
    const shipped = JSON.parse(readFileSync(join(SHIPPED, service, version, 'endpoint-rule-set-1.json'), 'utf8')) as {
      version: string;
      parameters: unknown;
    };
    const ruleSet = {
      version: shipped.version,
      parameters: shipped.parameters,
      rules: [{ conditions: [], type: 'endpoint', endpoint: { url, properties: {}, headers: {} } }],
    };
    mkdirSync(join(dir, service, version), { recursive: true });
    writeFileSync(join(dir, service, version, 'endpoint-rule-set-1.json'), JSON.stringify(ruleSet));
  }
}

/** The CLI v2's env: the sandbox's HOME and files, the rule sets; no AWS_ENDPOINT_URL_* (it would ignore them anyway). */
function v2Env(): Record<string, string> {
  const { PATH, HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE } = sso.box.env;
  return {
    PATH: PATH!,
    HOME: HOME!,
    AWS_CONFIG_FILE: AWS_CONFIG_FILE!,
    AWS_SHARED_CREDENTIALS_FILE: AWS_SHARED_CREDENTIALS_FILE!,
    AWS_DATA_PATH: dataPath,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

const aws = (args: string[]) => runDetached(AWS_V2, args, v2Env(), '', 120_000);
const oidc = (counts: Record<string, number>) => Object.fromEntries(OIDC_ACTIONS.map((a) => [a, counts[a] ?? 0]));
const delta = (after: Record<string, number>, before: Record<string, number>, action: string) =>
  (after[action] ?? 0) - (before[action] ?? 0);

describe('IAM Identity Center shared with the AWS CLI v2 (/usr/bin/aws) (issue 11)', { skip }, () => {
  it('A3: `aws sso login --no-browser` (device code) → swrole uses its token: exec dev and a role chained on it, no OIDC call of its own', async () => {
    sso.emu.reset();
    rmSync(ssoCacheDir(sso.box.home), { recursive: true, force: true });
    const login = await aws(['sso', 'login', '--profile', 'dev', '--no-browser']);
    assert.equal(login.code, 0, `${login.stdout}\n${login.stderr}`);
    assert.match(login.stdout, /Then enter the code:\n\n[A-Z0-9]{4}-[A-Z0-9]{4}\n/);
    assert.match(login.stdout, /Successfully logged into Start URL: https:\/\/d-1234567890\.awsapps\.com\/start/);
    const byCli = sso.emu.counts();
    assert.equal(byCli.RegisterClient, 1, 'the CLI registered (it reached the emulator through AWS_DATA_PATH)');
    assert.equal(byCli.StartDeviceAuthorization, 1);
    const token = sso.readToken();
    assert.deepEqual(Object.keys(token).slice(0, 4), ['startUrl', 'region', 'accessToken', 'expiresAt']);

    const exec = await sso.swrole(['exec', 'dev', '--', 'sh', '-c', 'echo "$AWS_ACCESS_KEY_ID"']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.match(exec.stdout.trim(), /^ASIA[A-Z0-9]{16}$/);
    const chained = await sso.swrole(['process', 'app']);
    assert.equal(chained.code, 0, chained.stderr);
    const assume = sso.emu.calls().find((c) => c.action === 'AssumeRole');
    assert.match(assume?.callerArn ?? '', /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/);
    const after = sso.emu.counts();
    assert.deepEqual(oidc(after), oidc(byCli), "swrole made no OIDC call: it signed in with the CLI's token");
    assert.equal(sso.readToken().accessToken, token.accessToken, 'the token file is left as the CLI wrote it');
    console.log(
      `# measured: aws sso login (CLI v2): ${JSON.stringify(oidc(byCli))}; then swrole exec dev + process app: ` +
        `0 OIDC calls, ${delta(after, byCli, 'GetRoleCredentials')} GetRoleCredentials, ${delta(after, byCli, 'AssumeRole')} AssumeRole`,
    );
  });

  it("reverse: `swrole login --device-code` (the CLI's registration reused) → the CLI v2 uses swrole's token (export-credentials, sts get-caller-identity), also once swrole refreshed it", async () => {
    // The CLI's token goes; its registration (bc8a1a…, device kind) stays, and swrole reuses it as the CLI would.
    rmSync(sso.tokenPath(), { force: true });
    assert.ok(existsSync(sso.tokenPath(REGISTRATION_FILE)));
    const startAt = sso.emu.counts();
    const login = await inTerminal(['login', 'dev', '--device-code'], sso.personEnv());
    assert.equal(login.code, 0, login.output);
    const byLogin = sso.emu.counts();
    assert.equal(delta(byLogin, startAt, 'RegisterClient'), 0, "the CLI's registration is reused");
    assert.equal(delta(byLogin, startAt, 'StartDeviceAuthorization'), 1);

    const exported = await aws(['configure', 'export-credentials', '--profile', 'dev-ro']);
    assert.equal(exported.code, 0, exported.stderr);
    const keys = JSON.parse(exported.stdout) as { AccessKeyId: string; SessionToken?: string; Expiration?: string };
    assert.match(keys.AccessKeyId, /^ASIA/);
    assert.ok(keys.SessionToken && keys.Expiration);
    const who = await aws(['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json']);
    assert.equal(who.code, 0, who.stderr);
    assert.match(
      (JSON.parse(who.stdout) as { Arn: string }).Arn,
      /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/,
    );
    const byCli = sso.emu.counts();
    assert.deepEqual(oidc(byCli), oidc(byLogin), "the CLI made no OIDC call: it used swrole's token");
    assert.equal(delta(byCli, byLogin, 'GetRoleCredentials'), 2);

    // 10 minutes left: swrole refreshes (one refresh_token CreateToken) and rewrites the file; the CLI takes the new token.
    const token = sso.readToken();
    writeFileSync(
      sso.tokenPath(),
      readFileSync(sso.tokenPath(), 'utf8').replace(token.expiresAt!, formatSsoTime(Date.now() + 10 * 60_000)),
    );
    const refreshed = await sso.swrole(['process', 'dev-ro', '--no-cache']);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    const byRefresh = sso.emu.counts();
    assert.equal(delta(byRefresh, byCli, 'CreateToken'), 1);
    assert.notEqual(sso.readToken().refreshToken, token.refreshToken, 'the rotated refresh token is written');
    const again = await aws(['sts', 'get-caller-identity', '--profile', 'dev-ro', '--output', 'json']);
    assert.equal(again.code, 0, again.stderr);
    assert.match((JSON.parse(again.stdout) as { Arn: string }).Arn, /assumed-role\/AWSReservedSSO_ReadOnly_[0-9a-f]{16}\/alice$/);
    assert.deepEqual(oidc(sso.emu.counts()), oidc(byRefresh), "the CLI found swrole's refreshed token good: no OIDC call");
    console.log(
      `# measured: swrole login --device-code: ${JSON.stringify(oidc(Object.fromEntries(OIDC_ACTIONS.map((a) => [a, delta(byLogin, startAt, a)]))))}; ` +
        `CLI v2 export-credentials + get-caller-identity: 0 OIDC, 2 GetRoleCredentials; swrole refresh: 1 CreateToken; CLI after it: 0 OIDC`,
    );
  });
});
