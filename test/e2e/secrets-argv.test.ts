// Secrets never travel in argv: every child swrole starts (mfa_process, credential_process, the exec child)
// records its own argv and its parent's (/proc/<ppid>/cmdline, what `ps` shows); none holds a secret key or token.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { MFA_SECRET, MFA_SERIAL, ROLE_A_ARN, ROLE_NO_MFA_ARN, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { runSwrole, sampleCredentials, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
let argvLog: string;
let codeFile: string;

useEmulatorSandbox(
  (fixture) => {
    ({ emu, box } = fixture);
    argvLog = join(box.dir, 'argv.log');
    codeFile = join(box.dir, 'code');
    // A child that records what `ps` would show of itself and of its parent (swrole).
    const recorder = join(box.dir, 'record-argv.cjs');
    writeFileSync(
      recorder,
      `const fs = require('node:fs');
const parent = fs.readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8').split('\\0').join(' ');
fs.appendFileSync(${JSON.stringify(argvLog)}, JSON.stringify({ self: process.argv.join(' '), parent }) + '\\n');
const mode = process.argv[2];
if (mode === 'mfa') process.stdout.write(fs.readFileSync(${JSON.stringify(codeFile)}, 'utf8'));
`,
    );
    writeFileSync(
      box.configFile,
      `[profile mp]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
mfa_process = "${process.execPath}" "${recorder}" mfa
region = us-east-1

[profile procsrc]
credential_process = "${process.execPath}" "${join(box.dir, 'proc.cjs')}"

[profile viaproc]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = procsrc
region = us-east-1
`,
    );
    // A credential_process that records its argv and hands out the base user's keys.
    const base = /aws_access_key_id = (\S+)\naws_secret_access_key = (\S+)/.exec(sampleCredentials())!;
    writeFileSync(
      join(box.dir, 'proc.cjs'),
      `require(${JSON.stringify(recorder)});
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(base[1])}, SecretAccessKey: ${JSON.stringify(base[2])} }));
`,
    );
  },
  { config: '', credentials: sampleCredentials() },
);

describe('secrets never in argv', () => {
  it('mfa_process, credential_process and the exec child see no secret in any argv', async () => {
    const env = { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
    writeFileSync(codeFile, totp(MFA_SECRET, emu.now()));
    const login = await runSwrole(['login', 'mp'], env);
    assert.equal(login.code, 0, login.stderr);
    const viaProc = await runSwrole(['process', 'viaproc'], env);
    assert.equal(viaProc.code, 0, viaProc.stderr);
    const exec = await runSwrole(['exec', 'mp', '--', process.execPath, join(box.dir, 'record-argv.cjs'), 'exec'], env);
    assert.equal(exec.code, 0, exec.stderr);

    const records = readFileSync(argvLog, 'utf8').trim().split('\n');
    assert.ok(records.length >= 3, `mfa_process, credential_process and the exec child all ran: ${records.length}`);
    const secrets = [
      USER_SECRET_ACCESS_KEY,
      JSON.parse(viaProc.stdout).SecretAccessKey as string,
      JSON.parse(viaProc.stdout).SessionToken as string,
    ];
    const sessions = join(box.stateDir, 'sessions');
    for (const file of readdirSync(sessions).filter((f) => f.endsWith('.json'))) {
      const stored = JSON.parse(readFileSync(join(sessions, file), 'utf8')) as {
        credentials?: { secretAccessKey?: string; sessionToken?: string };
      };
      if (stored.credentials?.secretAccessKey) secrets.push(stored.credentials.secretAccessKey);
      if (stored.credentials?.sessionToken) secrets.push(stored.credentials.sessionToken);
    }
    assert.ok(secrets.length >= 5, 'the MFA session and role sessions were found to check against');
    for (const line of records)
      for (const secret of secrets) assert.ok(!line.includes(secret), `a secret appeared in argv: ${line.slice(0, 80)}`);
  });
});
