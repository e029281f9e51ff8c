// `swrole keys add|import|list|remove` (issue 12; docs/reference/sso-keyring-console.md D.3 B1–B3, B5, B6, B9):
// the built binary against a real gnome-keyring in a private D-Bus session, with `secret-tool lookup` as the
// oracle for what was stored, the STS emulator, and boto3, the aws CLI v1 and the Node SDK as consumers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import {
  OTHER_ACCESS_KEY_ID,
  OTHER_SECRET_ACCESS_KEY,
  OTHER_USER_ARN,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_SECRET_ACCESS_KEY,
} from '../helpers/emulator-world.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { keyringSkipReason, startKeyringSession, type KeyringSession } from '../helpers/keyring-session.js';

const skip = keyringSkipReason();
const PRINT_ENV = ['--', process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

let emu: EmulatorHandle;
let box: Sandbox;
let kr: KeyringSession;

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  DBUS_SESSION_BUS_ADDRESS: kr.env.DBUS_SESSION_BUS_ADDRESS!,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, env(extra), { timeoutMs: 60_000 });
const lookup = (profile: string) => kr.secretTool(['lookup', 'service', 'swrole', 'username', `aws:${profile}`]);

/** Every regular file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesContaining(path, needle));
    else if (entry.isFile() && readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

describe('swrole keys (Secret Service via a private gnome-keyring)', { skip }, () => {
  before(async () => {
    kr = await startKeyringSession('unlocked');
  });
  after(async () => {
    await kr?.stop();
  });
  useEmulatorSandbox((fixture) => ({ emu, box } = fixture), {
    config: `[profile kr]\nregion = us-east-1\n\n[profile kr-role-user]\nrole_arn = arn:aws:iam::111111111111:role/RoleNoMfa\nsource_profile = kr\nregion = us-east-1\n\n[profile other]\nregion = us-east-1\n`,
    credentials: `[other]\naws_access_key_id = ${OTHER_ACCESS_KEY_ID}\naws_secret_access_key = ${OTHER_SECRET_ACCESS_KEY}\n`,
  });

  it('B1: keys add --from-env stores the key in the Secret Service (secret-tool lookup), points the profile at it, leaves no plaintext', async () => {
    const r = await swrole(['keys', 'add', 'kr', '--from-env'], {
      AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /stored the key AKIA…0001 of profile "kr" in the Secret Service/);
    assert.doesNotMatch(r.stderr, new RegExp(USER_SECRET_ACCESS_KEY));
    const item = lookup('kr');
    assert.equal(item.status, 0, item.stderr);
    const value = JSON.parse(item.stdout) as Record<string, unknown>;
    assert.equal(value.v, 1);
    assert.equal(value.AccessKeyId, USER_ACCESS_KEY_ID);
    assert.equal(value.SecretAccessKey, USER_SECRET_ACCESS_KEY);
    assert.equal(value.Source, 'add');
    const config = readFileSync(box.configFile, 'utf8');
    assert.match(
      config,
      /\[profile kr\]\nregion = us-east-1\nswrole_keyring = secret-service\ncredential_process = .*swrole\.js"? process kr\n/,
    );
    // the keyring's own files are encrypted: the secret is in no file of either HOME, the state dir or the AWS files
    assert.deepEqual(filesContaining(box.dir, USER_SECRET_ACCESS_KEY), []);
    assert.deepEqual(filesContaining(kr.home, USER_SECRET_ACCESS_KEY), []);
  });

  it('B2: exec and process hand out a GetSessionToken session of the keyring key, never the key; boto3, aws CLI v1 and the Node SDK resolve it', async () => {
    const r = await swrole(['exec', 'kr', ...PRINT_ENV]);
    assert.equal(r.code, 0, r.stderr);
    const child = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(child.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    assert.ok(child.AWS_SESSION_TOKEN);
    assert.ok(!r.stdout.includes(USER_ACCESS_KEY_ID) && !r.stdout.includes(USER_SECRET_ACCESS_KEY));
    assert.equal(emu.calls().filter((c) => c.action === 'GetSessionToken').length, 1);
    const consumers: Array<[string, string, string[]]> = [
      ['boto3', 'python3', ['-c', 'import boto3; print(boto3.Session(profile_name="kr").client("sts").get_caller_identity()["Arn"])']],
      ['aws CLI v1', 'aws', ['sts', 'get-caller-identity', '--profile', 'kr', '--query', 'Arn', '--output', 'text']],
      [
        'Node SDK',
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts'; const c = new STSClient({ profile: 'kr', region: 'us-east-1' }); console.log((await c.send(new GetCallerIdentityCommand({}))).Arn);`,
        ],
      ],
    ];
    for (const [name, file, args] of consumers) {
      const { stdout } = await promisify(execFile)(file, args, {
        env: { ...env(), AWS_PROFILE: 'kr' },
        timeout: 60_000,
        cwd: process.cwd(),
      });
      assert.equal(stdout.trim(), USER_ARN, name);
    }
    // all of them shared the one cached session
    assert.equal(emu.calls().filter((c) => c.action === 'GetSessionToken').length, 1);
    // a role behind the keyring profile is assumed with that session
    const role = await swrole(['process', 'kr-role-user']);
    assert.equal(role.code, 0, role.stderr);
  });

  it('a cache hit never touches the keyring: no bus and no secret-tool, and process still answers', async () => {
    const r = await swrole(['process', 'kr'], { DBUS_SESSION_BUS_ADDRESS: '', SWROLE_SECRET_TOOL: '/nonexistent/secret-tool' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
    // and a miss does, and says so
    const miss = await swrole(['process', 'kr', '--no-cache', '--debug'], {
      DBUS_SESSION_BUS_ADDRESS: '',
      SWROLE_SECRET_TOOL: '/nonexistent/secret-tool',
    });
    assert.equal(miss.code, 4);
    assert.match(miss.stderr, /E_KEYRING_UNAVAILABLE|secret-tool is not installed/);
  });

  it('B3: keys add with no D-Bus session bus fails fast naming the file backend; nothing is stored, the config is unchanged', async () => {
    const before = readFileSync(box.configFile, 'utf8');
    const r = await swrole(['keys', 'add', 'other2', '--from-env', '--debug'], {
      DBUS_SESSION_BUS_ADDRESS: '',
      AWS_ACCESS_KEY_ID: OTHER_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: OTHER_SECRET_ACCESS_KEY,
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /code: E_KEYRING_UNAVAILABLE/);
    assert.match(r.stderr, /no D-Bus session bus/);
    assert.match(r.stderr, /--keyring file/);
    assert.ok(r.ms < 10_000);
    assert.equal(readFileSync(box.configFile, 'utf8'), before);
    assert.equal(lookup('other2').stdout, '');
  });

  it('refusals: a temporary key, no terminal without --from-env, a role profile, plaintext keys (E_KEYS_INPUT, E_KEYS_PROFILE)', async () => {
    const before = readFileSync(box.configFile, 'utf8');
    const temp = await swrole(['keys', 'add', 'tmp', '--from-env', '--debug'], {
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE000000001',
      AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
    });
    assert.equal(temp.code, 2);
    assert.match(temp.stderr, /code: E_KEYS_INPUT/);
    assert.match(temp.stderr, /temporary key/);
    const noTty = await swrole(['keys', 'add', 'tmp', '--debug']);
    assert.equal(noTty.code, 2);
    assert.match(noTty.stderr, /code: E_KEYS_INPUT/);
    assert.match(noTty.stderr, /--from-env/);
    const role = await swrole(['keys', 'add', 'kr-role-user', '--from-env', '--debug'], {
      AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
    });
    assert.equal(role.code, 3);
    assert.match(role.stderr, /code: E_KEYS_PROFILE/);
    const plain = await swrole(['keys', 'add', 'other', '--from-env', '--debug'], {
      AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
    });
    assert.equal(plain.code, 3);
    assert.match(plain.stderr, /code: E_KEYS_PROFILE/);
    assert.match(plain.stderr, /swrole keys import other/);
    assert.equal(readFileSync(box.configFile, 'utf8'), before);
    assert.equal(lookup('tmp').stdout, '');
  });

  it('B9: keys import needs consent (E_KEYS_CONSENT), then moves the plaintext key into the keyring; the backup keeps no secret', async () => {
    const refused = await swrole(['keys', 'import', 'other', '--debug']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /code: E_KEYS_CONSENT/);
    assert.ok(readFileSync(box.credentialsFile, 'utf8').includes(OTHER_SECRET_ACCESS_KEY), 'nothing moved without consent');
    const nothing = await swrole(['keys', 'import', 'kr', '--yes', '--debug']);
    assert.equal(nothing.code, 3);
    assert.match(nothing.stderr, /code: E_KEYS_NOTHING_TO_IMPORT/);
    const r = await swrole(['keys', 'import', 'other', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(lookup('other').stdout).SecretAccessKey, OTHER_SECRET_ACCESS_KEY);
    assert.equal(JSON.parse(lookup('other').stdout).Source, 'import');
    assert.equal(readFileSync(box.credentialsFile, 'utf8'), '');
    const backup = readFileSync(`${box.credentialsFile}.swrole-backup`, 'utf8');
    assert.match(backup, /aws_access_key_id = AKIAEXAMPLEOTHER0001\naws_secret_access_key = moved-to-keyring-by-swrole\n/);
    assert.equal(statSync(`${box.credentialsFile}.swrole-backup`).mode & 0o777, 0o600);
    assert.deepEqual(filesContaining(box.dir, OTHER_SECRET_ACCESS_KEY), []);
    const who = await promisify(execFile)(
      'aws',
      ['sts', 'get-caller-identity', '--profile', 'other', '--query', 'Arn', '--output', 'text'],
      {
        env: env(),
        timeout: 60_000,
      },
    );
    assert.equal(who.stdout.trim(), OTHER_USER_ARN);
  });

  it('keys list shows where each key is, never a secret', async () => {
    writeFileSync(
      box.credentialsFile,
      `[plain]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key = ${USER_SECRET_ACCESS_KEY}\n`,
    );
    const r = await swrole(['keys', 'list']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'kr\tsecret-service\tsecret-service\nother\tsecret-service\tsecret-service\nplain\tplaintext\t-\n'
        .split('\n')
        .filter(Boolean)
        .sort((a, b) => a.localeCompare(b))
        .join('\n') + '\n',
    );
    assert.ok(!r.stdout.includes(USER_SECRET_ACCESS_KEY) && !r.stderr.includes(USER_SECRET_ACCESS_KEY));
    const json = await swrole(['keys', 'list', '--json']);
    assert.deepEqual(JSON.parse(json.stdout)[0], { profile: 'kr', where: 'secret-service', configured: 'secret-service' });
    writeFileSync(box.credentialsFile, '');
  });

  it("B6: keys remove deletes the item, the sessions made from it and swrole's lines; the profile is as before add", async () => {
    const sessions = join(box.stateDir, 'sessions');
    assert.ok(existsSync(sessions) && readdirSync(sessions).length > 0);
    const r = await swrole(['keys', 'remove', 'kr']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deleted key of profile "kr"/);
    assert.match(r.stderr, /cleared \d+ cached session/);
    assert.equal(lookup('kr').stdout, '');
    assert.match(readFileSync(box.configFile, 'utf8'), /\[profile kr\]\nregion = us-east-1\n\n/);
    const again = await swrole(['process', 'kr']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /E_NO_CREDENTIALS|no credentials/i);
  });
});

describe('swrole keys against a locked login keyring (B4)', { skip }, () => {
  let locked: KeyringSession;
  let lockedBox: Sandbox;
  useEmulatorSandbox(
    async (fixture) => {
      ({ emu, box: lockedBox } = fixture);
      locked = await startKeyringSession('locked');
    },
    { config: '[profile kr]\nregion = us-east-1\nswrole_keyring = secret-service\n\n[profile new]\nregion = us-east-1\n', credentials: '' },
  );
  after(async () => {
    await locked?.stop();
  });

  it('keys add and a cache miss of a keyring profile fail with E_KEYRING_LOCKED within 5 s; nothing is written', async () => {
    const lenv = (extra: Record<string, string> = {}) => ({
      ...lockedBox.env,
      DBUS_SESSION_BUS_ADDRESS: locked.env.DBUS_SESSION_BUS_ADDRESS!,
      ...extra,
    });
    const config = readFileSync(lockedBox.configFile, 'utf8');
    const add = await runSwrole(
      ['keys', 'add', 'new', '--from-env', '--debug'],
      lenv({ AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY }),
      { timeoutMs: 30_000 },
    );
    assert.equal(add.code, 4, add.stderr);
    assert.match(add.stderr, /code: E_KEYRING_LOCKED\n/);
    assert.doesNotMatch(add.stderr, /did not answer in time/, 'told by the keyring, not by the deadline');
    const miss = await runSwrole(['process', 'kr', '--debug'], lenv(), { timeoutMs: 30_000 });
    assert.equal(miss.code, 4, miss.stderr);
    assert.match(miss.stderr, /code: E_KEYRING_LOCKED\n/);
    assert.doesNotMatch(miss.stderr, /did not answer in time/, 'told by the keyring, not by the deadline');
    assert.equal(readFileSync(lockedBox.configFile, 'utf8'), config);
    assert.equal(locked.secretTool(['search', '--all', 'service', 'swrole', 'username', 'aws:new']).stdout, '');
  });
});

describe('swrole keys with the encrypted file backend (B5)', { skip }, () => {
  let fileBox: Sandbox;
  useEmulatorSandbox((fixture) => ({ emu, box: fileBox } = fixture), {
    config: `[profile f]\nregion = us-east-1\n\n[profile ghost]\nswrole_keyring = file\nregion = us-east-1\n`,
    credentials: '',
  });
  const fenv = (extra: Record<string, string> = {}) => ({
    ...fileBox.env,
    SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
    ...extra,
  });

  it('add with SWROLE_FILE_PASSPHRASE writes a 0600 file in a 0700 dir; a miss without the passphrase fails fast; a missing item is E_KEYRING_ITEM_MISSING', async () => {
    const add = await runSwrole(
      ['keys', 'add', 'f', '--from-env', '--keyring', 'file'],
      fenv({
        SWROLE_FILE_PASSPHRASE: 'file pass 1234',
        AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY,
      }),
    );
    assert.equal(add.code, 0, add.stderr);
    const dir = join(fileBox.stateDir, 'keys');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'aws%3Af.json')).mode & 0o777, 0o600);
    assert.deepEqual(filesContaining(fileBox.dir, USER_SECRET_ACCESS_KEY), []);
    const ok = await runSwrole(['process', 'f'], fenv({ SWROLE_FILE_PASSPHRASE: 'file pass 1234' }));
    assert.equal(ok.code, 0, ok.stderr);
    const noPass = await runSwrole(['process', 'f', '--no-cache', '--debug'], fenv());
    assert.equal(noPass.code, 4);
    assert.match(noPass.stderr, /code: E_KEYRING_PASSPHRASE_REQUIRED/);
    assert.ok(noPass.ms < 10_000);
    const wrong = await runSwrole(['process', 'f', '--no-cache', '--debug'], fenv({ SWROLE_FILE_PASSPHRASE: 'not the pass' }));
    assert.equal(wrong.code, 4);
    assert.match(wrong.stderr, /code: E_KEYRING_PASSPHRASE\n/);
    const ghost = await runSwrole(['process', 'ghost', '--debug'], fenv({ SWROLE_FILE_PASSPHRASE: 'file pass 1234' }));
    assert.equal(ghost.code, 3);
    assert.match(ghost.stderr, /code: E_KEYRING_ITEM_MISSING/);
  });

  it("B6: keys remove takes swrole's credential_process only: one the user put in its place stays", async () => {
    const dir = join(fileBox.stateDir, 'keys');
    const config = readFileSync(fileBox.configFile, 'utf8');
    assert.match(config, /credential_process = .*process f\n/);
    writeFileSync(
      fileBox.configFile,
      config.replace(/credential_process = .*process f\n/, 'credential_process = /opt/my-helper --profile f\n'),
    );
    const r = await runSwrole(['keys', 'remove', 'f'], fenv({ SWROLE_FILE_PASSPHRASE: 'file pass 1234' }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deleted key of profile "f" from swrole's encrypted key files/);
    assert.match(r.stderr, /removed swrole_keyring from/);
    assert.match(
      readFileSync(fileBox.configFile, 'utf8'),
      /\[profile f\]\nregion = us-east-1\ncredential_process = \/opt\/my-helper --profile f\n/,
    );
    assert.deepEqual(readdirSync(dir), []);
  });
});
