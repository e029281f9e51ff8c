// The key stores themselves (issue 12; docs/reference/sso-keyring-console.md B.1, B.2, B.5; acceptance B3–B5):
// the Secret Service through secret-tool in a private D-Bus session with a real gnome-keyring (secret-tool is the
// oracle), and swrole's encrypted files (an independent Python implementation is the oracle).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwroleError } from '../../src/errors.js';
import { createSecretServiceStore } from '../../src/keyring/secret-service-store.js';
import { createFileKeyStore } from '../../src/keyring/file-key-store.js';
import { chooseBackend, openKeyStore } from '../../src/keyring/open-key-store.js';
import type { StoredKey } from '../../src/keyring/key-item.js';
import { passphraseSource } from '../../src/credentials/keyring-credentials.js';
import type { Deps } from '../../src/platform/deps.js';
import { keyringSkipReason, startKeyringSession, type KeyringSession } from '../helpers/keyring-session.js';
import { alive, waitFor } from '../helpers/wait-for.js';

const KEY: StoredKey = {
  accessKeyId: 'AKIAKEYRINGTEST0001',
  secretAccessKey: 'kEyRiNgSeCrEt/0123456789abcdefghijklmnopq',
  createdAt: '2026-11-26T12:00:00.000Z',
  source: 'add',
};
const PATH_ONLY = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

async function rejectsCode(promise: Promise<unknown>, code: string, message?: RegExp): Promise<SwroleError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SwroleError, String(error));
  assert.equal(error.code, code, error.message);
  if (message) assert.match(error.message, message);
  return error;
}

const skip = keyringSkipReason();

describe('Secret Service store (secret-tool, private gnome-keyring)', { skip }, () => {
  let session: KeyringSession;
  before(async () => {
    session = await startKeyringSession('unlocked');
  });
  after(async () => {
    await session?.stop();
  });

  it('B1: write stores one item service=swrole username=aws:<profile> that secret-tool lookup returns; read, list, remove', async () => {
    const store = createSecretServiceStore({ env: { ...PATH_ONLY, ...session.env }, platform: 'linux' });
    await store.write('dev', KEY);
    await store.write('other prof', { ...KEY, accessKeyId: 'AKIAKEYRINGTEST0002' });
    const oracle = session.secretTool(['lookup', 'service', 'swrole', 'username', 'aws:dev']);
    assert.equal(oracle.status, 0, oracle.stderr);
    assert.deepEqual(JSON.parse(oracle.stdout), {
      v: 1,
      AccessKeyId: KEY.accessKeyId,
      SecretAccessKey: KEY.secretAccessKey,
      CreatedAt: KEY.createdAt,
      Source: 'add',
    });
    assert.deepEqual(await store.read('dev'), KEY);
    assert.equal(await store.read('missing'), undefined);
    assert.deepEqual(await store.list(), ['dev', 'other prof']);
    assert.equal(await store.remove('dev'), true);
    assert.equal(await store.remove('dev'), false);
    assert.equal(session.secretTool(['lookup', 'service', 'swrole', 'username', 'aws:dev']).stdout, '');
    assert.deepEqual(await store.list(), ['other prof']);
  });

  it('an item another program wrote under our name is E_KEYRING_ITEM_INVALID (its content never shown)', async () => {
    session.secretTool(['store', '--label=x', 'service', 'swrole', 'username', 'aws:junk'], 'not json SECRETISH');
    const store = createSecretServiceStore({ env: { ...PATH_ONLY, ...session.env }, platform: 'linux' });
    const error = await rejectsCode(store.read('junk'), 'E_KEYRING_ITEM_INVALID');
    assert.doesNotMatch(error.message, /SECRETISH/);
  });

  it('B3: no D-Bus session bus → E_KEYRING_UNAVAILABLE at once, naming the file backend; nothing stored anywhere', async () => {
    const store = createSecretServiceStore({ env: { ...PATH_ONLY, HOME: session.home }, platform: 'linux' });
    const error = await rejectsCode(store.write('nobus', KEY), 'E_KEYRING_UNAVAILABLE', /no D-Bus session bus/);
    // At once: told by secret-tool's own answer, not by the call's deadline (which says "did not answer in time").
    assert.doesNotMatch(error.message, /did not answer in time/);
    assert.match(error.hint ?? '', /--keyring file/);
    await rejectsCode(store.read('nobus'), 'E_KEYRING_UNAVAILABLE');
    await rejectsCode(store.list(), 'E_KEYRING_UNAVAILABLE');
    assert.equal(session.secretTool(['lookup', 'service', 'swrole', 'username', 'aws:nobus']).stdout, '');
  });

  it('no secret-tool installed → E_KEYRING_UNAVAILABLE naming libsecret-tools', async () => {
    const store = createSecretServiceStore({
      env: { ...PATH_ONLY, ...session.env, SWROLE_SECRET_TOOL: '/nonexistent/secret-tool' },
      platform: 'linux',
    });
    const error = await rejectsCode(store.read('dev'), 'E_KEYRING_UNAVAILABLE', /secret-tool is not installed/);
    assert.match(error.hint ?? '', /libsecret-tools/);
  });

  it('a refusal swrole does not recognise is E_KEYRING_FAILED, with what secret-tool said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swrole-odd-'));
    const odd = join(dir, 'secret-tool');
    writeFileSync(odd, '#!/bin/sh\necho "secret-tool: Something unforeseen happened" >&2\nexit 1\n', { mode: 0o755 });
    try {
      const store = createSecretServiceStore({ env: { ...PATH_ONLY, SWROLE_SECRET_TOOL: odd }, platform: 'linux' });
      await rejectsCode(store.write('dev', KEY), 'E_KEYRING_FAILED', /Something unforeseen happened/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a keyring that does not answer is killed at the deadline: E_KEYRING_UNAVAILABLE, no hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swrole-stuck-'));
    const stuck = join(dir, 'secret-tool');
    const pidFile = join(dir, 'pid');
    writeFileSync(stuck, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`, { mode: 0o755 });
    try {
      const store = createSecretServiceStore({ env: { ...PATH_ONLY, SWROLE_SECRET_TOOL: stuck }, platform: 'linux', timeoutMs: 500 });
      await rejectsCode(store.read('dev'), 'E_KEYRING_UNAVAILABLE', /did not answer in time/);
      // No hang: the stuck tool was killed at the deadline, not waited for (it would sleep on for 30 s).
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await waitFor(() => !alive(pid), `the stuck secret-tool (pid ${pid}) is killed`, 20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Secret Service store: a locked keyring (B4)', { skip }, () => {
  let session: KeyringSession;
  before(async () => {
    session = await startKeyringSession('locked');
  });
  after(async () => {
    await session?.stop();
  });

  it('read, write, list and remove give E_KEYRING_LOCKED within 5 s each; nothing is written', async () => {
    const store = createSecretServiceStore({ env: { ...PATH_ONLY, ...session.env }, platform: 'linux' });
    // `read('absent')`: an item the locked collection may be hiding is "locked", not "missing"
    const calls = [
      () => store.write('dev', KEY),
      () => store.read('seed'),
      () => store.read('absent'),
      () => store.list(),
      () => store.remove('seed'),
    ];
    for (const call of calls) {
      const error = await rejectsCode(call(), 'E_KEYRING_LOCKED', /is locked/);
      // Within the call's deadline: told by the keyring, not by a timeout (which says "did not answer in time").
      assert.doesNotMatch(error.message, /did not answer in time/);
      assert.match(error.hint ?? '', /gnome-keyring-daemon --unlock/);
    }
  });
});

describe('Secret Service store: a bus with no keyring daemon', { skip }, () => {
  let session: KeyringSession;
  before(async () => {
    session = await startKeyringSession('no-daemon');
  });
  after(async () => {
    await session?.stop();
  });

  it('read, write, list and remove give E_KEYRING_UNAVAILABLE ("no Secret Service daemon") within 5 s each, naming the file backend', async () => {
    const store = createSecretServiceStore({ env: { ...PATH_ONLY, ...session.env }, platform: 'linux' });
    for (const call of [() => store.write('dev', KEY), () => store.read('dev'), () => store.list(), () => store.remove('dev')]) {
      const error = await rejectsCode(call(), 'E_KEYRING_UNAVAILABLE', /no Secret Service daemon/);
      // Told by the bus at once, not by the call's deadline.
      assert.doesNotMatch(error.message, /did not answer in time/);
      assert.match(error.hint ?? '', /--keyring file/);
    }
  });
});

describe('backend choice', () => {
  it('--keyring, then SWROLE_KEYRING, then where the keys are, then the platform store; unknown names and macOS/Windows are E_KEYRING_BACKEND', () => {
    assert.equal(chooseBackend('file', { SWROLE_KEYRING: 'secret-service' }, undefined, 'linux'), 'file');
    assert.equal(chooseBackend(undefined, { SWROLE_KEYRING: 'file' }, 'secret-service', 'linux'), 'file');
    assert.equal(chooseBackend(undefined, {}, 'file', 'linux'), 'file');
    assert.equal(chooseBackend(undefined, {}, undefined, 'linux'), 'secret-service');
    assert.throws(() => chooseBackend('keyutils', {}, undefined, 'linux'), { code: 'E_KEYRING_BACKEND', message: /keyutils/ });
    assert.throws(() => chooseBackend(undefined, {}, undefined, 'darwin'), { code: 'E_KEYRING_BACKEND', message: /darwin/ });
    const o = { env: {}, homedir: '/h', platform: 'win32' as const, passphrase: async () => 'x' };
    assert.throws(() => openKeyStore('secret-service', o), { code: 'E_KEYRING_BACKEND' });
  });
});

describe('encrypted file store (B5)', () => {
  const FAST = { N: 2 ** 12, r: 8, p: 1 };
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'swrole-keyfiles-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const store = (passphrase: string, sub = 'keys') =>
    createFileKeyStore({ dir: join(dir, sub), platform: 'linux', passphrase: async () => passphrase, scrypt: FAST });

  it('0600 files in a 0700 dir, no plaintext in them, decrypted by an independent Python (hashlib.scrypt + AESGCM)', async () => {
    await store('correct horse battery').write('dev', KEY);
    const keys = join(dir, 'keys');
    assert.equal(statSync(keys).mode & 0o777, 0o700);
    const files = readdirSync(keys);
    assert.deepEqual(files, ['aws%3Adev.json']);
    const path = join(keys, files[0]!);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const text = readFileSync(path, 'utf8');
    assert.doesNotMatch(text, /kEyRiNgSeCrEt|AKIAKEYRINGTEST/);
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import sys, json, base64, hashlib
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
f = json.load(open(sys.argv[1])); b = lambda k: base64.b64decode(f[k])
key = hashlib.scrypt(sys.stdin.read().encode(), salt=b('salt'), n=f['N'], r=f['r'], p=f['p'], maxmem=2**30, dklen=64)[:32]
print(AESGCM(key).decrypt(b('iv'), b('ct') + b('tag'), ('swrole-keyfile:v1:' + f['name']).encode()).decode())`,
        path,
      ],
      { input: 'correct horse battery', encoding: 'utf8' },
    );
    assert.equal(py.status, 0, py.stderr);
    assert.equal(JSON.parse(py.stdout).SecretAccessKey, KEY.secretAccessKey);
    assert.deepEqual(await store('correct horse battery').read('dev'), KEY);
    assert.deepEqual(await store('correct horse battery').list(), ['dev']);
    // replaced atomically: a new file renamed over the old one (a reader holding the old one keeps it whole), no temp left
    const held = openSync(path, 'r');
    const inode = statSync(path).ino;
    await store('correct horse battery').write('dev', { ...KEY, source: 'rotate' });
    assert.notEqual(statSync(path).ino, inode);
    assert.equal(readFileSync(held, 'utf8'), text);
    closeSync(held);
    assert.deepEqual(readdirSync(keys), ['aws%3Adev.json']);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal((await store('correct horse battery').read('dev'))?.source, 'rotate');
  });

  it('a wrong passphrase is E_KEYRING_PASSPHRASE, also when adding a second item; a flipped byte is E_KEYRING_TAMPERED; a swapped file too', async () => {
    await store('correct horse battery', 'k2').write('dev', KEY);
    await rejectsCode(store('wrong passphrase!', 'k2').read('dev'), 'E_KEYRING_PASSPHRASE');
    await rejectsCode(store('wrong passphrase!', 'k2').write('prod', KEY), 'E_KEYRING_PASSPHRASE');
    const path = join(dir, 'k2', 'aws%3Adev.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    const ct = Buffer.from(file.ct!, 'base64');
    ct[3] = ct[3]! ^ 0x01;
    writeFileSync(path, JSON.stringify({ ...file, ct: ct.toString('base64') }));
    await rejectsCode(store('correct horse battery', 'k2').read('dev'), 'E_KEYRING_TAMPERED', /failed authentication/);
    // prod's file renamed to dev's: the name inside (and the GCM additional data) tell
    await store('correct horse battery', 'k3').write('prod', KEY);
    writeFileSync(join(dir, 'k3', 'aws%3Adev.json'), readFileSync(join(dir, 'k3', 'aws%3Aprod.json')));
    await rejectsCode(store('correct horse battery', 'k3').read('dev'), 'E_KEYRING_TAMPERED');
    writeFileSync(join(dir, 'k3', 'aws%3Ajunk.json'), '{"v":1}');
    await rejectsCode(store('correct horse battery', 'k3').read('junk'), 'E_KEYRING_ITEM_INVALID');
  });

  it('a key directory that cannot be made is E_KEYRING_FILE naming the path; nothing is written', async () => {
    writeFileSync(join(dir, 'in-the-way'), 'a file');
    await rejectsCode(store('correct horse battery', 'in-the-way').write('dev', KEY), 'E_KEYRING_FILE', /in-the-way/);
  });

  it('no terminal and no SWROLE_FILE_PASSPHRASE → E_KEYRING_PASSPHRASE_REQUIRED at once; the variable opens it', async () => {
    const deps = { env: {}, interactive: false, platform: 'linux' } as unknown as Deps;
    const asked = passphraseSource(deps, { allowPrompt: true });
    await rejectsCode(asked('open', dir), 'E_KEYRING_PASSPHRASE_REQUIRED', /no terminal/);
    const fromEnv = passphraseSource({ ...deps, env: { SWROLE_FILE_PASSPHRASE: 'from env 123' } } as Deps, { allowPrompt: false });
    assert.equal(await fromEnv('open', dir), 'from env 123');
  });
});
