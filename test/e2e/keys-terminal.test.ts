// `swrole keys` at a real terminal (tmux gives a pty; issue 12, D.3 B1 "from a TTY", B9): `keys add` reads the key id
// and secret from /dev/tty, `keys import --from-aws-vault-file` asks for aws-vault's passphrase there when
// AWS_VAULT_FILE_PASSPHRASE is not set. Nothing typed is echoed, and nothing secret reaches argv or the screen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import {
  OTHER_ACCESS_KEY_ID,
  OTHER_SECRET_ACCESS_KEY,
  USER_ACCESS_KEY_ID,
  USER_SECRET_ACCESS_KEY,
  sampleWorld,
} from '../helpers/emulator-world.js';
import { createSandbox, DIST, ensureBuilt, type Sandbox } from '../helpers/swrole-run.js';
import { createFileKeyStore } from '../../src/keyring/file-key-store.js';

const noTmux = spawnSync('tmux', ['-V']).status !== 0 && !process.env.CI ? 'tmux not installed' : false;
const SWROLE_PASS = 'terminal file pass 1234';
const VAULT_PASS = 'aws-vault pass typed';
const socket = `swrole-keys-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 5000 });
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const TARGET = 'swrole-keys';

let emu: EmulatorHandle;
let box: Sandbox;

async function waitForScreen(pattern: RegExp, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-J', '-t', TARGET, '-S', '-200');
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern} on the terminal:\n${screen}`);
}

function type(text: string): void {
  tmux('send-keys', '-t', TARGET, '-l', text);
  tmux('send-keys', '-t', TARGET, 'Enter');
}

describe('swrole keys at a terminal', { skip: noTmux }, () => {
  before(async () => {
    if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is required (apt-get install tmux)');
    ensureBuilt();
    emu = await startEmulator({ world: sampleWorld() });
    box = createSandbox(emu.url, '[profile dev]\nregion = us-east-1\n\n[profile prod]\nregion = us-east-1\n', '');
  });
  after(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await emu?.close();
    box?.cleanup();
  });

  it("keys add asks for the key id and secret on /dev/tty; keys import --from-aws-vault-file asks for aws-vault's passphrase", async () => {
    const vault = join(box.dir, 'awsvault');
    const written = spawnSync('python3', [join(import.meta.dirname, '../helpers/write-aws-vault-file.py'), vault], {
      input: JSON.stringify([
        {
          key: 'prod',
          credentials: { AccessKeyID: OTHER_ACCESS_KEY_ID, SecretAccessKey: OTHER_SECRET_ACCESS_KEY, SessionToken: '', Source: '' },
        },
      ]),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_VAULT_FILE_PASSPHRASE: VAULT_PASS },
    });
    assert.equal(written.status, 0, written.stderr);
    const env = { ...box.env, SWROLE_FILE_PASSPHRASE: SWROLE_PASS };
    const swrole = `${quote(process.execPath)} ${quote(DIST)}`;
    const script = join(box.dir, 'person.sh');
    writeFileSync(
      script,
      [
        ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
        'unset AWS_VAULT_FILE_PASSPHRASE',
        `${swrole} keys add dev --keyring file; echo "ADD_EXIT=$?"`,
        `${swrole} keys import prod --from-aws-vault-file ${quote(vault)} --keyring file; echo "IMPORT_EXIT=$?"`,
        'sleep 60',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-s', TARGET, '-x', '220', '-y', '60', `bash ${quote(script)}`);
    await waitForScreen(/Access key ID: $/m);
    type(USER_ACCESS_KEY_ID);
    await waitForScreen(/Secret access key: $/m);
    type(USER_SECRET_ACCESS_KEY);
    await waitForScreen(/ADD_EXIT=\d/);
    await waitForScreen(/Passphrase of aws-vault's file keyring \(.*awsvault\): $/m);
    type(VAULT_PASS);
    const screen = await waitForScreen(/IMPORT_EXIT=\d/);
    assert.match(screen, /ADD_EXIT=0/);
    assert.match(screen, /IMPORT_EXIT=0/);
    assert.match(screen, /stored the key AKIA…0001 of profile "dev"/);
    assert.match(screen, /imported the key AKIA…0001 of profile "prod" from aws-vault's file keyring/);
    for (const secret of [USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY, OTHER_SECRET_ACCESS_KEY, VAULT_PASS])
      assert.ok(!screen.includes(secret), `nothing typed is echoed: ${secret.slice(0, 6)}…`);
    const store = createFileKeyStore({ dir: join(box.stateDir, 'keys'), platform: 'linux', passphrase: async () => SWROLE_PASS });
    assert.equal((await store.read('dev'))?.secretAccessKey, USER_SECRET_ACCESS_KEY);
    assert.equal((await store.read('prod'))?.secretAccessKey, OTHER_SECRET_ACCESS_KEY);
  });
});
