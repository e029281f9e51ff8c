// The credential engine against the strict STS emulator, with the real SDK, real temp files and cache.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import {
  MFA_SECRET,
  ROLE_A_ARN,
  ROLE_CHAINED_ARN,
  ROLE_NO_MFA_ARN,
  ROLE_READ_ONLY_ARN,
  ACCOUNT_A,
  ACCOUNT_B,
  USER_ACCESS_KEY_ID,
  USER_SECRET_ACCESS_KEY,
} from '../helpers/emulator-world.js';
import { createSandbox, sandboxDeps, type Sandbox } from '../helpers/swrole-run.js';
import { prepareRequest } from '../../src/credentials/prepare-request.js';
import { getCredentials, type CredentialResult } from '../../src/credentials/get-credentials.js';
import type { CredentialRequest } from '../../src/credentials/engine-options.js';
import { isSwroleError } from '../../src/errors.js';

let emu: EmulatorHandle;
let box: Sandbox;

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });
afterEach(() => box?.cleanup());

function fresh(): void {
  emu.reset();
  box = createSandbox(emu.url);
}

/** A code valid now that the emulator has not seen: the clock moves one TOTP step per call. */
function nextCode(): string {
  emu.advance(30);
  return totp(MFA_SECRET, emu.now());
}

async function obtain(
  profile: string,
  request: Partial<CredentialRequest> = {},
  env: Record<string, string> = {},
): Promise<CredentialResult & { stderr: string }> {
  const cap = sandboxDeps(box, () => emu.now(), { env });
  const notices: string[] = [];
  const reporters = { notice: (m: string) => notices.push(m), debug: () => {} };
  const prepared = prepareRequest(cap.deps, { profile }, (m) => notices.push(m));
  const result = await getCredentials(cap.deps, prepared, { allowPrompt: false, ...request }, reporters);
  return { ...result, stderr: notices.join('\n') };
}

async function rejects(promise: Promise<unknown>, code: string, exit = 4): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isSwroleError(error), `expected SwroleError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.exit, exit);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('engine: MFA sessions', () => {
  it('one GetSessionToken serves two roles; later calls are cache hits', async () => {
    fresh();
    const a = await obtain('a', { mfaCode: nextCode() });
    assert.match(a.credentials.accessKeyId, /^ASIA/);
    assert.equal(a.credentials.accountId, ACCOUNT_A);
    assert.equal(a.session?.meta.assumedRoleArn?.toString().startsWith(`arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleA/`), true);
    const ro = await obtain('ro'); // no code: the MFA session is reused
    assert.equal(ro.credentials.accountId, ACCOUNT_B);
    const again = await obtain('a');
    assert.equal(again.hit, true);
    assert.equal(again.credentials.accessKeyId, a.credentials.accessKeyId);
    assert.deepEqual(emu.counts(), { GetSessionToken: 1, AssumeRole: 2 });
    const assume = emu.calls().filter((c) => c.action === 'AssumeRole');
    assert.deepEqual(
      assume.map((c) => c.params.RoleArn),
      [ROLE_A_ARN, ROLE_READ_ONLY_ARN],
    );
    assert.ok(
      assume.every((c) => c.params.SerialNumber === undefined),
      'roles are assumed with the MFA session, not MFA',
    );
  });

  it('renews role credentials silently from the MFA session, then fails fast once it expires', async () => {
    fresh();
    await obtain('a', { mfaCode: nextCode() });
    emu.advance(3600); // role expired, MFA session (12 h) still valid
    const renewed = await obtain('a');
    assert.equal(renewed.hit, false);
    assert.deepEqual(emu.counts(), { GetSessionToken: 1, AssumeRole: 2 });
    emu.advance(12 * 3600);
    const error = await rejects(obtain('a'), 'E_MFA_REQUIRED');
    assert.match(error.message, /profile "a"/);
    assert.match((error as { hint?: string }).hint ?? '', /swrole login a/);
  });

  it('a wrong MFA code is a clear error naming the profile', async () => {
    fresh();
    const error = await rejects(obtain('a', { mfaCode: '000000' }), 'E_MFA_CODE_INVALID');
    assert.match(error.message, /profile "a"/);
    assert.doesNotMatch(error.message, new RegExp(USER_SECRET_ACCESS_KEY));
  });

  it('an unknown MFA serial, a wrong ExternalId, root keys and an untrusted user are translated', async () => {
    fresh();
    await rejects(obtain('bad-serial', { mfaCode: nextCode() }), 'E_MFA_SERIAL_INVALID');
    const ext = await rejects(obtain('ext-wrong'), 'E_ACCESS_DENIED');
    assert.match(ext.message, /RoleExternalId/);
    await rejects(obtain('root-a'), 'E_ROOT_ASSUME');
    await rejects(obtain('other-a'), 'E_ACCESS_DENIED');
    const ok = await obtain('ext');
    assert.equal(ok.credentials.accountId, ACCOUNT_B);
  });

  it('a role session longer than 1 h on a single hop uses MFA in AssumeRole directly', async () => {
    fresh();
    // RoleA allows at most 1 h: the direct AssumeRole is sent (with MFA) and its error is translated.
    await rejects(obtain('a-long', { mfaCode: nextCode() }), 'E_DURATION_TOO_LONG');
    const call = emu.calls().find((c) => c.action === 'AssumeRole');
    assert.equal(call?.params.DurationSeconds, '7200');
    assert.ok(call?.params.SerialNumber);
    assert.equal(emu.counts().GetSessionToken ?? 0, 0);
  });

  it('never prompts when prompting is not allowed, and says what to run', async () => {
    fresh();
    await rejects(obtain('a'), 'E_MFA_REQUIRED');
    assert.deepEqual(emu.counts(), {});
  });
});

describe('engine: chains and sources', () => {
  it('caps a chained role at 3600 s with one notice, never an STS error', async () => {
    fresh();
    const result = await obtain('chained', { mfaCode: nextCode() });
    assert.match(result.session?.meta.assumedRoleArn?.toString() ?? '', /RoleChained/);
    const chainedCall = emu.calls().find((c) => c.params.RoleArn === ROLE_CHAINED_ARN);
    assert.equal(chainedCall?.params.DurationSeconds, '3600');
    assert.equal(result.stderr.match(/capped at 1 h/g)?.length, 1);
  });

  it('--duration on a role assumed with long-term keys is passed through unchanged', async () => {
    fresh();
    const r = await obtain('nomfa', { durationSeconds: 7200 });
    assert.equal(emu.calls()[0]?.params.DurationSeconds, '7200');
    const left = Date.parse(r.credentials.expiration ?? '') - emu.now();
    assert.ok(left > 7100_000 && left <= 7200_000, `expires in ${left} ms`);
  });

  it('static keys without MFA: one AssumeRole, regional endpoint overridden by AWS_ENDPOINT_URL_STS', async () => {
    fresh();
    const r = await obtain('nomfa');
    assert.equal(r.credentials.accountId, ACCOUNT_A);
    assert.deepEqual(emu.counts(), { AssumeRole: 1 });
  });

  it('credential_process source, then AssumeRole', async () => {
    fresh();
    // The helper prints long-term keys: handed out, they become a GetSessionToken session (issue 10), cached.
    const direct = await obtain('proc');
    assert.match(direct.credentials.accessKeyId, /^ASIA/);
    assert.ok(direct.credentials.sessionToken);
    assert.notEqual(direct.credentials.accessKeyId, USER_ACCESS_KEY_ID);
    assert.equal((await obtain('proc')).hit, true);
    assert.deepEqual(emu.counts(), { GetSessionToken: 1 });
    emu.reset();
    const r = await obtain('proc-role');
    assert.match(r.credentials.accessKeyId, /^ASIA/);
    assert.equal(emu.calls()[0]?.params.RoleArn, ROLE_NO_MFA_ARN);
  });

  it('credential_source = Environment', async () => {
    fresh();
    const r = await obtain('env-role', {}, { AWS_ACCESS_KEY_ID: USER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: USER_SECRET_ACCESS_KEY });
    assert.equal(r.credentials.accountId, ACCOUNT_A);
    await rejects(obtain('env-role', { noCache: true }), 'E_SOURCE_UNAVAILABLE');
  });

  it('web identity: AssumeRoleWithWebIdentity, cached', async () => {
    fresh();
    const r = await obtain('web');
    assert.equal(r.credentials.accountId, ACCOUNT_A);
    await obtain('web');
    assert.deepEqual(emu.counts(), { AssumeRoleWithWebIdentity: 1 });
  });

  it('--no-cache calls STS every time and writes nothing', async () => {
    fresh();
    await obtain('nomfa', { noCache: true });
    await obtain('nomfa', { noCache: true });
    assert.deepEqual(emu.counts(), { AssumeRole: 2 });
  });
});

describe('engine: transient faults', () => {
  it('retries 503 / Throttling and succeeds within 3 attempts', async () => {
    fresh();
    emu.inject({ status: 503, count: 1 });
    emu.inject({ code: 'Throttling', count: 1 });
    const r = await obtain('nomfa');
    assert.match(r.credentials.accessKeyId, /^ASIA/);
    assert.equal(emu.calls().filter((c) => c.action === 'AssumeRole').length, 3);
  });

  it('surfaces a persistent fault after 3 attempts as a translated error', async () => {
    fresh();
    emu.inject({ status: 500, count: 10 });
    await rejects(obtain('nomfa'), 'E_STS_UNAVAILABLE');
    assert.equal(emu.calls().length, 3);
    emu.reset();
  });

  it('a dropped connection is retried', async () => {
    fresh();
    emu.inject({ drop: true, count: 1 });
    const r = await obtain('nomfa');
    assert.match(r.credentials.accessKeyId, /^ASIA/);
  });
});
