// `swrole setup a`: the user's config gains exactly one section, and the aws CLI and boto3 get the role
// through it (credential_process = swrole process a); `--remove` restores the original bytes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET } from '../helpers/emulator-world.js';
import { runSwrole, sampleConfig, writeUserAwsFiles } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';

let emu: EmulatorHandle;
let dir: string;
let home: string;
let configFile: string;
let original: string;
const env = () => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_ENDPOINT_URL_STS: emu.url,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
});
const ASSUMED = new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/`);

useEmulatorSandbox(async (fixture) => {
  emu = fixture.emu;
  ({ dir, home } = fixture.box);
  // Comments, odd spacing and no final newline: all of it must survive byte for byte.
  original = `# my config\n${sampleConfig(dir)}\n[profile spaced]   # keep me\nregion=eu-west-1\n;tail comment`;
  configFile = writeUserAwsFiles(home, original);
  const login = await runSwrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())], env());
  assert.equal(login.code, 0, login.stderr);
});

describe('swrole setup (e2e)', () => {
  it('adds only [profile a.swrole]; aws CLI and boto3 get the assumed role through it; --remove restores the bytes', async () => {
    const setup = await runSwrole(['setup', 'a'], env());
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal(setup.stdout, '');
    const edited = readFileSync(configFile, 'utf8');
    assert.ok(edited.startsWith(original), 'every original byte kept, in place');
    const added = edited.slice(original.length);
    assert.match(added, /^\n+\[profile a\.swrole\]\ncredential_process = \S+ \S+ process a\nregion = us-east-1\n$/);

    const again = await runSwrole(['setup', 'a'], env());
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(configFile, 'utf8'), edited, 'a second run changes nothing');

    const cli = await runDetached(
      'aws',
      ['--profile', 'a.swrole', 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'],
      env(),
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.trim(), ASSUMED);
    const py = await runDetached(
      'python3',
      ['-c', "import boto3; print(boto3.Session(profile_name='a.swrole').client('sts').get_caller_identity()['Arn'])"],
      env(),
    );
    assert.equal(py.code, 0, py.stderr);
    assert.match(py.stdout.trim(), ASSUMED);
    assert.equal(emu.calls().filter((c) => c.action === 'GetSessionToken').length, 1, 'no new MFA session: no prompt, no code');

    const removed = await runSwrole(['setup', 'a', '--remove'], env());
    assert.equal(removed.code, 0, removed.stderr);
    // Even the final newline setup had to add after a last line without one is taken back.
    assert.equal(readFileSync(configFile, 'utf8'), original);
    const gone = await runDetached('aws', ['--profile', 'a.swrole', 'sts', 'get-caller-identity'], env());
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /could not be found/);
  });

  it('setup A; setup B; setup A B --remove on a file without a final newline gives back the exact bytes (issue 15)', async () => {
    const crlf = join(dir, 'config-crlf');
    writeFileSync(crlf, original.replaceAll('\n', '\r\n'));
    for (const [file, bytes] of [
      [configFile, original],
      [crlf, original.replaceAll('\n', '\r\n')],
    ] as const) {
      const sequences = [
        [
          ['setup', 'a'],
          ['setup', 'nomfa'],
          ['setup', 'a', 'nomfa', '--remove'],
        ],
        [
          ['setup', 'a', 'nomfa'],
          ['setup', 'a', '--remove'],
          ['setup', 'nomfa', '--remove'],
        ],
        [
          ['setup', 'nomfa'],
          ['setup', 'a'],
          ['setup', 'nomfa', '--remove'],
          ['setup', 'a', '--remove'],
        ],
      ];
      for (const sequence of sequences) {
        assert.equal(readFileSync(file, 'utf8'), bytes);
        for (const args of sequence) {
          const result = await runSwrole(args, { ...env(), AWS_CONFIG_FILE: file });
          assert.equal(result.code, 0, result.stderr);
        }
        assert.equal(readFileSync(file, 'utf8'), bytes, `${file}: ${sequence.map((a) => a.join(' ')).join('; ')}`);
      }
    }
  });
});
