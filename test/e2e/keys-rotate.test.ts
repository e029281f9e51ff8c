// `swrole keys rotate` (issue 12; docs/reference/sso-keyring-console.md B.4, D.3 B7–B8) against the emulator's IAM
// with a propagation delay: the call order, the new key signing the delete, the stored key, the old key refused,
// the old sessions cleared; two keys refused before any change; a run killed after CreateAccessKey finished by
// --resume. The keys live in swrole's encrypted files (the rotation does not depend on the keyring kind).
import '../helpers/silence-sdk-node-warning.js';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import {
  BASE_ACCOUNT,
  MFA_SECRET,
  MFA_SERIAL,
  USER_ACCESS_KEY_ID,
  USER_ARN,
  USER_NAME,
  USER_SECRET_ACCESS_KEY,
  sampleWorld,
} from '../helpers/emulator-world.js';
import { totp } from '../../emulator/totp.js';
import { createSandbox, DIST, ensureBuilt, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { createFileKeyStore } from '../../src/keyring/file-key-store.js';

const PASS = 'rotate pass 1234';
let emu: EmulatorHandle;
let box: Sandbox;

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  AWS_ENDPOINT_URL_IAM: emu.url,
  SWROLE_FILE_PASSPHRASE: PASS,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[]) => runSwrole(args, env(), { timeoutMs: 90_000 });
const stored = () => createFileKeyStore({ dir: join(box.stateDir, 'keys'), platform: 'linux', passphrase: async () => PASS }).read('dev');
const calls = () =>
  emu
    .calls()
    .filter((c) => ['ListAccessKeys', 'CreateAccessKey', 'GetCallerIdentity', 'DeleteAccessKey', 'GetSessionToken'].includes(c.action));

async function addKey(): Promise<void> {
  const r = await runSwrole(
    ['keys', 'add', 'dev', '--from-env', '--keyring', 'file'],
    env({ AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY }),
  );
  assert.equal(r.code, 0, r.stderr);
}

describe('swrole keys rotate (emulator IAM, propagation 5 s)', () => {
  before(() => ensureBuilt());
  beforeEach(async () => {
    await emu?.close();
    box?.cleanup();
    emu = await startEmulator({ world: { ...sampleWorld(), iam: { propagationSeconds: 5 } } });
    box = createSandbox(emu.url, '[profile dev]\nregion = us-east-1\n', '');
    await addKey();
  });
  after(async () => {
    await emu?.close();
    box?.cleanup();
  });

  it('B7: List → Create → GetCallerIdentity until the new key works → Delete signed by the new key; the new key is stored, the old refused, old sessions cleared', async () => {
    const session = await swrole(['process', 'dev']);
    assert.equal(session.code, 0, session.stderr);
    const sessionsDir = join(box.stateDir, 'sessions');
    assert.ok(readdirSync(sessionsDir).length > 0);
    emu.reset();
    const r = await swrole(['keys', 'rotate', 'dev']);
    assert.equal(r.code, 0, r.stderr);
    const seen = calls();
    const create = seen.find((c) => c.action === 'CreateAccessKey')!;
    const item = await stored();
    const newKey = item!.accessKeyId;
    assert.notEqual(newKey, USER_ACCESS_KEY_ID);
    assert.equal(item!.rotation, undefined);
    assert.equal(item!.source, 'rotate');
    const order = seen.map((c) => c.action).filter((a, i, all) => a !== all[i - 1]);
    assert.deepEqual(order, ['ListAccessKeys', 'CreateAccessKey', 'GetCallerIdentity', 'DeleteAccessKey']);
    assert.equal(seen[0]!.callerKeyId, USER_ACCESS_KEY_ID);
    assert.equal(create.callerKeyId, USER_ACCESS_KEY_ID);
    const polls = seen.filter((c) => c.action === 'GetCallerIdentity');
    assert.ok(polls.length >= 2, `the new key was refused while it propagated: ${polls.map((c) => c.code).join(',')}`);
    assert.equal(polls[0]!.code, 'InvalidClientTokenId');
    assert.equal(polls.at(-1)!.code, 'OK');
    const del = seen.find((c) => c.action === 'DeleteAccessKey')!;
    assert.equal(del.callerKeyId, newKey, 'DeleteAccessKey is signed by the new key');
    assert.equal(del.params.AccessKeyId, USER_ACCESS_KEY_ID);
    assert.equal(del.code, 'OK');
    assert.match(r.stderr, /rotated profile "dev": AKIA…0001 → AKIA…/);
    assert.match(r.stderr, /cleared 1 cached session/);
    assert.doesNotMatch(r.stderr, new RegExp(item!.secretAccessKey.replace(/[+/]/g, '.')));
    assert.deepEqual(readdirSync(sessionsDir), []);
    // the next session is made from the new key; the old one is refused by STS at once
    const again = await swrole(['process', 'dev']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      emu
        .calls()
        .filter((c) => c.action === 'GetSessionToken')
        .at(-1)!.callerKeyId,
      newKey,
    );
    const who = await swrole(['whoami', 'dev', '--json']);
    assert.equal(JSON.parse(who.stdout).Arn, USER_ARN);
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const old = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: USER_ACCESS_KEY_ID, secretAccessKey: USER_SECRET_ACCESS_KEY },
      maxAttempts: 1,
    });
    await assert.rejects(old.send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
    old.destroy();
  });

  it('B8: a user with two keys is refused before anything changes (E_KEYS_LIMIT, no CreateAccessKey)', async () => {
    const iam = new IAMClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: USER_ACCESS_KEY_ID, secretAccessKey: USER_SECRET_ACCESS_KEY },
      maxAttempts: 1,
    });
    await iam.send(new CreateAccessKeyCommand({}));
    iam.destroy();
    emu.reset();
    const r = await runSwrole(['keys', 'rotate', 'dev', '--debug'], env(), { timeoutMs: 60_000 });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /code: E_KEYS_LIMIT/);
    assert.match(r.stderr, /already has two access keys; nothing was changed/);
    assert.deepEqual(
      calls().map((c) => c.action),
      ['ListAccessKeys'],
    );
    const item = await stored();
    assert.equal(item!.accessKeyId, USER_ACCESS_KEY_ID);
    assert.equal(item!.rotation, undefined);
  });

  it('B8: killed after CreateAccessKey: the new key is kept, rotate refuses to start again (E_KEYS_ROTATION_PENDING), --resume finishes', async () => {
    await emu.close();
    emu = await startEmulator({ world: { ...sampleWorld(), iam: { propagationSeconds: 600 } } });
    box.env.AWS_ENDPOINT_URL_STS = emu.url;
    const child = spawn(process.execPath, [DIST, 'keys', 'rotate', 'dev'], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "created" line: ${stderr}`)), 30_000);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (/waiting until IAM has propagated/.test(stderr)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on('close', resolve));
    const pending = await stored();
    assert.equal(pending!.accessKeyId, USER_ACCESS_KEY_ID, 'the old key stays in use until the new one works');
    assert.equal(pending!.rotation?.state, 'created');
    const refused = await runSwrole(['keys', 'rotate', 'dev', '--debug'], env(), { timeoutMs: 60_000 });
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /code: E_KEYS_ROTATION_PENDING/);
    assert.match(refused.stderr, /--resume/);
    // the profile keeps working with the old key meanwhile
    assert.equal((await swrole(['process', 'dev'])).code, 0);
    emu.advance(600);
    const resumed = await swrole(['keys', 'rotate', 'dev', '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const done = await stored();
    assert.equal(done!.rotation, undefined);
    assert.equal(done!.accessKeyId, pending!.rotation?.state === 'created' ? pending!.rotation.newAccessKeyId : '');
    assert.equal(emu.calls().filter((c) => c.action === 'CreateAccessKey').length, 1, 'no second key was made');
    const del = emu.calls().find((c) => c.action === 'DeleteAccessKey')!;
    assert.equal(del.callerKeyId, done!.accessKeyId);
    const nothing = await swrole(['keys', 'rotate', 'dev', '--resume']);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stderr, /nothing to resume/);
  });

  it('a new key that does not work within --wait is E_KEYS_PROPAGATION, kept for --resume; an IAM that cannot be reached is E_KEYS_IAM with nothing changed', async () => {
    const down = await runSwrole(['keys', 'rotate', 'dev', '--debug'], env({ AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:1' }), {
      timeoutMs: 60_000,
    });
    assert.equal(down.code, 4, down.stderr);
    assert.match(down.stderr, /code: E_KEYS_IAM/);
    assert.match(down.stderr, /nothing was changed/);
    assert.equal((await stored())!.rotation, undefined);
    await emu.close();
    emu = await startEmulator({ world: { ...sampleWorld(), iam: { propagationSeconds: 600 } } });
    box.env.AWS_ENDPOINT_URL_STS = emu.url;
    const r = await runSwrole(['keys', 'rotate', 'dev', '--wait', '3', '--debug'], env(), { timeoutMs: 60_000 });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /code: E_KEYS_PROPAGATION/);
    assert.match(r.stderr, /did not work within 3 s/);
    assert.equal((await stored())!.rotation?.state, 'created');
  });
});

describe('swrole keys rotate for a user whose policy denies IAM without MFA (mfa_serial)', () => {
  before(async () => {
    ensureBuilt();
    await emu?.close();
    box?.cleanup();
    const world = sampleWorld();
    world.iam = { propagationSeconds: 5 };
    // AWS's documented guard: everything allowed, but no IAM call without MFA (the key is absent for long-term keys).
    world.accounts[BASE_ACCOUNT]!.users![USER_NAME]!.policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
      ],
    };
    emu = await startEmulator({ world });
    box = createSandbox(
      emu.url,
      `[profile dev]\nregion = us-east-1\nmfa_serial = ${MFA_SERIAL}\n\n[profile nomfa]\nregion = us-east-1\n`,
      '',
    );
    await addKey();
    const r = await runSwrole(
      ['keys', 'add', 'nomfa', '--from-env', '--keyring', 'file'],
      env({ AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY }),
    );
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await emu?.close();
    box?.cleanup();
  });

  it('B8: the long-term key is denied IAM (a profile without mfa_serial fails, nothing changed); with mfa_serial the MFA sessions sign List/Create and, of the new key, Delete', async () => {
    // the emulator enforces the condition: the long-term key itself may not call IAM
    const denied = await swrole(['keys', 'rotate', 'nomfa', '--debug']);
    assert.equal(denied.code, 4, denied.stderr);
    assert.match(denied.stderr, /code: E_ACCESS_DENIED\n/);
    assert.match(denied.stderr, /explicit deny in an identity-based policy/);
    assert.match(denied.stderr, /add mfa_serial to the profile/);
    assert.equal(emu.calls().filter((c) => c.action === 'CreateAccessKey').length, 0);
    // no cached MFA session, no code and no terminal: refused before any IAM call
    // (emu.reset() would also forget the sessions it issued: marks instead)
    const since = (mark: number) => calls().slice(mark);
    let mark = calls().length;
    const noCode = await swrole(['keys', 'rotate', 'dev', '--debug']);
    assert.equal(noCode.code, 4, noCode.stderr);
    assert.match(noCode.stderr, /code: E_MFA_REQUIRED\n/);
    assert.match(noCode.stderr, /nothing was changed/);
    assert.deepEqual(since(mark), []);
    // the user's MFA session (swrole login), then the rotation with the next code for the new key's session
    const login = await swrole(['login', 'dev', '--mfa-code', totp(MFA_SECRET, emu.now())]);
    assert.equal(login.code, 0, login.stderr);
    const oldSession = emu.calls().find((c) => c.action === 'GetSessionToken' && c.code === 'OK')!;
    assert.equal(oldSession.callerKeyId, USER_ACCESS_KEY_ID);
    emu.advance(30);
    mark = calls().length;
    const r = await swrole(['keys', 'rotate', 'dev', '--mfa-code', totp(MFA_SECRET, emu.now()), '--debug']);
    assert.equal(r.code, 0, r.stderr);
    const seen = since(mark);
    const order = seen.map((c) => c.action).filter((a, i, all) => a !== all[i - 1]);
    assert.deepEqual(order, ['ListAccessKeys', 'CreateAccessKey', 'GetCallerIdentity', 'GetSessionToken', 'DeleteAccessKey']);
    const item = await stored();
    const newKey = item!.accessKeyId;
    assert.notEqual(newKey, USER_ACCESS_KEY_ID);
    assert.equal(item!.rotation, undefined);
    const list = seen.find((c) => c.action === 'ListAccessKeys')!;
    const create = seen.find((c) => c.action === 'CreateAccessKey')!;
    assert.match(list.callerKeyId ?? '', /^ASIA/, 'ListAccessKeys is signed by the cached MFA session, not the long-term key');
    assert.equal(create.callerKeyId, list.callerKeyId);
    assert.equal(create.code, 'OK');
    const gst = seen.find((c) => c.action === 'GetSessionToken')!;
    assert.equal(gst.callerKeyId, newKey, "the new key's MFA session");
    assert.equal(gst.code, 'OK');
    assert.equal(gst.issued?.mfa, true);
    const del = seen.find((c) => c.action === 'DeleteAccessKey')!;
    assert.equal(del.code, 'OK');
    assert.equal(del.params.AccessKeyId, USER_ACCESS_KEY_ID);
    assert.match(del.callerKeyId ?? '', /^ASIA/);
    assert.notEqual(del.callerKeyId, list.callerKeyId, 'not the old key’s session');
    assert.match(r.stderr, /rotated profile "dev": AKIA…0001 → AKIA…/);
    // the new key's MFA session is the profile's now: served without a prompt or another STS call
    mark = calls().length;
    const after = await swrole(['process', 'dev']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).AccessKeyId, del.callerKeyId);
    assert.deepEqual(
      since(mark).filter((c) => c.action === 'GetSessionToken'),
      [],
    );
  });

  it("B8: with one --mfa-code and no MFA session cached, the new key's session needs the next code: stopped after the switch (E_MFA_REQUIRED, --resume), then --resume with the next code finishes", async () => {
    rmSync(join(box.stateDir, 'sessions'), { recursive: true, force: true });
    const before = (await stored())!.accessKeyId;
    emu.advance(30);
    const first = await swrole(['keys', 'rotate', 'dev', '--mfa-code', totp(MFA_SECRET, emu.now()), '--debug']);
    assert.equal(first.code, 4, first.stderr);
    assert.match(first.stderr, /code: E_MFA_REQUIRED\n/);
    assert.match(first.stderr, /the new key is stored and works; run `swrole keys rotate dev --resume` to finish/);
    const pending = await stored();
    assert.equal(pending!.rotation?.state, 'switched');
    assert.notEqual(pending!.accessKeyId, before);
    emu.advance(30);
    const mark = calls().length;
    const resumed = await swrole(['keys', 'rotate', 'dev', '--resume', '--mfa-code', totp(MFA_SECRET, emu.now())]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const seen = calls().slice(mark);
    assert.deepEqual(
      seen.map((c) => `${c.action} ${c.code}`),
      ['GetSessionToken OK', 'DeleteAccessKey OK'],
    );
    assert.equal(seen[0]!.callerKeyId, pending!.accessKeyId);
    assert.equal(seen[1]!.params.AccessKeyId, before);
    assert.equal((await stored())!.rotation, undefined);
  });
});
