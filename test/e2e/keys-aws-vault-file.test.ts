// `swrole keys import P --from-aws-vault-file DIR` (issue 12; docs/reference/sso-keyring-console.md B.5, D.3 B9):
// aws-vault's "file" keyring written by an independent Python implementation (test/helpers/write-aws-vault-file.py:
// RFC 7516/7518 on the cryptography package), read by the built binary: the key lands in swrole's keyring and works
// against the STS emulator; aws-vault's sessions in the same directory are skipped; a wrong passphrase, a damaged
// item, a missing item and a run without passphrase fail with their own codes and store nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import {
  OTHER_ACCESS_KEY_ID,
  OTHER_SECRET_ACCESS_KEY,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_SECRET_ACCESS_KEY,
  sampleWorld,
} from '../helpers/emulator-world.js';
import { createSandbox, ensureBuilt, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { createFileKeyStore } from '../../src/keyring/file-key-store.js';

const VAULT_PASS = 'aws-vault file pass';
const SWROLE_PASS = 'swrole file pass 1234';
const WRITER = join(import.meta.dirname, '../helpers/write-aws-vault-file.py');
const goCredentials = (id: string, secret: string, token = '') => ({
  AccessKeyID: id,
  SecretAccessKey: secret,
  SessionToken: token,
  Source: '',
  CanExpire: false,
  Expires: '0001-01-01T00:00:00Z',
  AccountID: '',
});
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const SESSION_ITEM = `sts.GetSessionToken,${b64url('dev')},${b64url('arn:aws:iam::333333333333:mfa/example.user')},1795000000`;

/** Every regular file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesContaining(path, needle);
    return entry.isFile() && readFileSync(path).includes(needle) ? [path] : [];
  });
}

let emu: EmulatorHandle;
let box: Sandbox;
let vault: string;

function writeVault(items: unknown[]): string[] {
  const r = spawnSync('python3', [WRITER, vault], {
    input: JSON.stringify(items),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  SWROLE_FILE_PASSPHRASE: SWROLE_PASS,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, env(extra), { timeoutMs: 60_000 });
const importArgs = (profile: string) => ['keys', 'import', profile, '--from-aws-vault-file', vault, '--keyring', 'file', '--debug'];
const stored = (profile: string) =>
  createFileKeyStore({ dir: join(box.stateDir, 'keys'), platform: 'linux', passphrase: async () => SWROLE_PASS }).read(profile);

describe('swrole keys import --from-aws-vault-file (aws-vault file keyring written by Python)', () => {
  before(async () => {
    ensureBuilt();
    emu = await startEmulator({ world: sampleWorld() });
    box = createSandbox(emu.url, '[profile dev]\nregion = us-east-1\n\n[profile prod]\nregion = us-east-1\n', '');
    vault = join(box.dir, 'awsvault-keys');
    const names = writeVault([
      { key: 'dev', credentials: goCredentials(USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY) },
      { key: 'prod', credentials: goCredentials(OTHER_ACCESS_KEY_ID, OTHER_SECRET_ACCESS_KEY) },
      { key: 'team/ci', credentials: goCredentials(OTHER_ACCESS_KEY_ID, OTHER_SECRET_ACCESS_KEY) },
      // aws-vault's cached sessions and SSO token share the directory: they are not keys.
      {
        key: SESSION_ITEM,
        label: 'aws-vault session for dev',
        credentials: {
          AccessKeyId: 'ASIAEXAMPLESESSION01',
          SecretAccessKey: 'sessionSecret000000000000000000000000001',
          SessionToken: 'token',
          Expiration: '2026-11-27T00:00:00Z',
        },
      },
      { key: 'oidc:https://example.awsapps.com/start', credentials: { Token: {}, Expiration: '2026-11-27T00:00:00Z' } },
      { key: 'temp', credentials: goCredentials(USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY, 'a-session-token') },
    ]);
    assert.ok(names.includes('team%2Fci') && names.includes('oidc:https:%2F%2Fexample.awsapps.com%2Fstart'), names.join(' '));
  });
  after(async () => {
    await emu?.close();
    box?.cleanup();
  });

  it("B9: imports the key of the item named PROFILE into swrole's keyring; the profile then works; aws-vault's files are unchanged", async () => {
    const before = new Map(readdirSync(vault).map((n) => [n, readFileSync(join(vault, n))]));
    const r = await swrole(importArgs('dev'), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /imported the key AKIA…0001 of profile "dev" from aws-vault's file keyring .*awsvault-keys into swrole's encrypted key files/,
    );
    assert.match(r.stderr, /aws-vault remove dev/);
    assert.doesNotMatch(r.stderr, new RegExp(USER_SECRET_ACCESS_KEY));
    const item = await stored('dev');
    assert.equal(item?.accessKeyId, USER_ACCESS_KEY_ID);
    assert.equal(item?.secretAccessKey, USER_SECRET_ACCESS_KEY);
    assert.equal(item?.source, 'import');
    assert.match(
      readFileSync(box.configFile, 'utf8'),
      /\[profile dev\]\nregion = us-east-1\nswrole_keyring = file\ncredential_process = .*process dev\n/,
    );
    for (const [name, bytes] of before) assert.deepEqual(readFileSync(join(vault, name)), bytes, `${name} unchanged`);
    // no plaintext copy anywhere: HOME, swrole's state and key files, the AWS files, aws-vault's directory
    assert.deepEqual(filesContaining(box.dir, USER_SECRET_ACCESS_KEY), []);
    // the imported key makes the profile's session (GetSessionToken signed by it)
    const who = await swrole(['whoami', 'dev', '--json']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(JSON.parse(who.stdout).Arn, USER_ARN);
    assert.equal(
      emu
        .calls()
        .filter((c) => c.action === 'GetSessionToken')
        .at(-1)?.callerKeyId,
      USER_ACCESS_KEY_ID,
    );
    // a name with a slash is found through aws-vault's percent-encoded file name
    writeFileSync(box.configFile, `${readFileSync(box.configFile, 'utf8')}\n[profile team/ci]\nregion = us-east-1\n`);
    const slash = await swrole(importArgs('team/ci'), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(slash.code, 0, slash.stderr);
    assert.equal((await stored('team/ci'))?.accessKeyId, OTHER_ACCESS_KEY_ID);
  });

  it('a wrong passphrase is E_AWS_VAULT_PASSPHRASE; no passphrase and no terminal is E_KEYRING_PASSPHRASE_REQUIRED at once; nothing stored', async () => {
    const config = readFileSync(box.configFile, 'utf8');
    const wrong = await swrole(importArgs('prod'), { AWS_VAULT_FILE_PASSPHRASE: 'not the passphrase' });
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.match(wrong.stderr, /code: E_AWS_VAULT_PASSPHRASE\n/);
    assert.match(wrong.stderr, /the passphrase does not open aws-vault's item .*prod; nothing was stored/);
    const none = await swrole(importArgs('prod'));
    assert.equal(none.code, 4, none.stderr);
    assert.match(none.stderr, /code: E_KEYRING_PASSPHRASE_REQUIRED\n/);
    assert.match(none.stderr, /AWS_VAULT_FILE_PASSPHRASE/);
    assert.ok(none.ms < 10_000);
    assert.equal(await stored('prod'), undefined);
    assert.equal(readFileSync(box.configFile, 'utf8'), config);
  });

  it("aws-vault's sessions are skipped: a missing item is E_AWS_VAULT_ITEM_MISSING naming the keys there, not the sessions", async () => {
    const r = await swrole(importArgs('ghost'), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /code: E_AWS_VAULT_ITEM_MISSING\n/);
    assert.match(r.stderr, /has no key named "ghost" \(it has "dev", "prod", "team\/ci", "temp"; 2 session item\(s\) skipped\)/);
    assert.doesNotMatch(r.stderr, /sts\.GetSessionToken|oidc:/);
    // a session item's name is not a key either
    const session = await swrole(importArgs(SESSION_ITEM), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(session.code, 3, session.stderr);
    assert.match(session.stderr, /code: E_AWS_VAULT_ITEM_MISSING\n/);
    const noDir = await swrole(['keys', 'import', 'prod', '--from-aws-vault-file', join(box.dir, 'nope'), '--keyring', 'file', '--debug']);
    assert.equal(noDir.code, 3);
    assert.match(noDir.stderr, /code: E_AWS_VAULT_ITEM_MISSING\n/);
    assert.match(noDir.stderr, /ENOENT/);
    // an item holding temporary credentials is refused
    const temp = await swrole(importArgs('temp'), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(temp.code, 2, temp.stderr);
    assert.match(temp.stderr, /code: E_KEYS_INPUT\n/);
    assert.equal(await stored('ghost'), undefined);
  });

  it("a flipped ciphertext byte, or one item's file under another's name, is E_AWS_VAULT_ITEM_INVALID; nothing stored", async () => {
    const path = join(vault, 'prod');
    const original = readFileSync(path, 'utf8');
    const parts = original.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 0x01;
    parts[3] = ct.toString('base64url');
    writeFileSync(path, parts.join('.'));
    const flipped = await swrole(importArgs('prod'), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(flipped.code, 3, flipped.stderr);
    assert.match(flipped.stderr, /code: E_AWS_VAULT_ITEM_INVALID\n/);
    assert.match(flipped.stderr, /fails authentication/);
    writeFileSync(path, readFileSync(join(vault, 'dev')));
    const swapped = await swrole(importArgs('prod'), { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS });
    assert.equal(swapped.code, 3, swapped.stderr);
    assert.match(swapped.stderr, /code: E_AWS_VAULT_ITEM_INVALID\n/);
    assert.match(swapped.stderr, /holds item "dev", not "prod"/);
    writeFileSync(path, original);
    assert.equal(await stored('prod'), undefined);
    assert.ok(!existsSync(join(box.stateDir, 'keys', 'aws%3Aprod.json')));
  });
});
