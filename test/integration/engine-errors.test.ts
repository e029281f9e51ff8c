// The credential engine's failures, each provoked for real: broken profiles and sources on real temp files,
// and real STS rejections from the strict emulator through the AWS SDK. Every one is a SwroleError with its
// registry exit code, a message naming the profile (and the file or command), and a hint saying what to do.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import {
  MFA_SERIAL,
  ROLE_A_ARN,
  ROLE_NO_MFA_ARN,
  ROLE_WEB_IDENTITY_ARN,
  USER_ACCESS_KEY_ID,
  USER_SECRET_ACCESS_KEY,
} from '../helpers/emulator-world.js';
import { createSandbox, sampleCredentials, sandboxDeps, type Sandbox } from '../helpers/swrole-run.js';
import { prepareRequest } from '../../src/credentials/prepare-request.js';
import { getCredentials, type CredentialResult } from '../../src/credentials/get-credentials.js';
import type { CredentialRequest } from '../../src/credentials/engine-options.js';
import { exitCodeOf, isSwroleError, type ErrorCode, type SwroleError } from '../../src/errors.js';

let emu: EmulatorHandle;
let box: Sandbox;

function config(dir: string): string {
  const node = JSON.stringify(process.execPath);
  const script = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, body);
    return `${node} "${file}"`;
  };
  writeFileSync(join(dir, 'bad-token'), 'eyJhbGciOiJSUzI1NiJ9.not-issued-by-anyone.signature');
  return `[profile mfa-proc-fails]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
mfa_process = echo "no yubikey found" >&2; exit 3
region = us-east-1

[profile mfa-proc-junk]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
mfa_process = echo 12ab56
region = us-east-1

[profile mfa]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
region = us-east-1

[profile policy-missing]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
swrole_session_policy_file = ${join(dir, 'no-such-policy.json')}
region = us-east-1

[profile proc-fails]
credential_process = ${script('fails.mjs', "process.stderr.write('vault is sealed\\n'); process.exit(2);\n")}
region = us-east-1

[profile proc-fails-role]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = proc-fails
region = us-east-1

[profile proc-unclosed]
credential_process = "${process.execPath} --version
region = us-east-1

[profile proc-junk]
credential_process = ${script('junk.mjs', "process.stdout.write('Enter passphrase:');\n")}
region = us-east-1

[profile sso-role]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = sso
region = us-east-1

[profile sso]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile web-missing]
role_arn = ${ROLE_WEB_IDENTITY_ARN}
web_identity_token_file = ${join(dir, 'no-token')}
region = us-east-1

[profile web-rejected]
role_arn = ${ROLE_WEB_IDENTITY_ARN}
web_identity_token_file = ${join(dir, 'bad-token')}
region = us-east-1

[profile unknown-key]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = unknownkeys
region = us-east-1

[profile bad-secret]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = badsecret
region = us-east-1

[profile nomfa]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = us-east-1

[profile expired-source]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = expired
region = us-east-1
`;
}

function credentials(expired = ''): string {
  return `${sampleCredentials()}
[unknownkeys]
aws_access_key_id = AKIAEXAMPLEUNKNOWN01
aws_secret_access_key = unknownSecretKeyForTestsOnly000000000001

[badsecret]
aws_access_key_id = ${USER_ACCESS_KEY_ID}
aws_secret_access_key = ${USER_SECRET_ACCESS_KEY.replace(/.$/, 'X')}
${expired}`;
}

useEmulatorSandbox((fixture) => ({ emu } = fixture), { build: false });

function fresh(): Sandbox {
  emu.reset();
  box?.cleanup();
  box = createSandbox(emu.url, '', credentials());
  writeFileSync(box.configFile, config(box.dir));
  return box;
}

async function obtain(
  profile: string,
  request: Partial<CredentialRequest> = {},
  env: Record<string, string> = {},
): Promise<CredentialResult> {
  const cap = sandboxDeps(box, () => emu.now(), { env });
  const reporters = { notice: () => {}, debug: () => {} };
  const prepared = prepareRequest(cap.deps, { profile }, () => {});
  return getCredentials(cap.deps, prepared, { allowPrompt: false, ...request }, reporters);
}

/** The promise fails with `code`, the registry's exit code for it, and a message naming `profile`. */
async function rejects(promise: Promise<unknown>, code: ErrorCode, profile: string): Promise<SwroleError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isSwroleError(error), `expected a SwroleError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.exit, exitCodeOf(code));
    assert.ok(error.message.startsWith(`profile "${profile}"`), error.message);
    assert.ok(error.hint, `${code} has a hint`);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('engine errors: MFA code sources', () => {
  it('mfa_process exits non-zero → E_MFA_PROCESS naming the command; no STS call', async () => {
    fresh();
    const e = await rejects(obtain('mfa-proc-fails'), 'E_MFA_PROCESS', 'mfa-proc-fails');
    assert.match(e.message, /mfa_process failed: exit status 3$/);
    assert.equal(e.hint, 'check mfa_process = echo "no yubikey found" >&2; exit 3');
    assert.deepEqual(emu.counts(), {});
  });

  it('mfa_process prints something that is not 6 digits → E_MFA_CODE_FORMAT; no STS call', async () => {
    fresh();
    const e = await rejects(obtain('mfa-proc-junk'), 'E_MFA_CODE_FORMAT', 'mfa-proc-junk');
    assert.match(e.message, /the MFA code from mfa_process is not 6 digits/);
    assert.match(e.hint ?? '', /6 digits shown by your authenticator/);
    assert.deepEqual(emu.counts(), {});
  });

  it('--mfa-code that is not 6 digits → E_MFA_CODE_FORMAT naming --mfa-code', async () => {
    fresh();
    const e = await rejects(obtain('mfa', { mfaCode: '12345' }), 'E_MFA_CODE_FORMAT', 'mfa');
    assert.match(e.message, /the MFA code from --mfa-code is not 6 digits/);
    assert.deepEqual(emu.counts(), {});
  });
});

describe('engine errors: sources and files', () => {
  it('a swrole_session_policy_file that does not exist → E_POLICY_FILE naming it, before any AssumeRole', async () => {
    fresh();
    const e = await rejects(obtain('policy-missing'), 'E_POLICY_FILE', 'policy-missing');
    assert.ok(e.message.endsWith(`cannot read swrole_session_policy_file ${join(box.dir, 'no-such-policy.json')}`), e.message);
    assert.match(e.hint ?? '', /check the path of the session policy JSON file/);
    assert.equal(emu.counts().AssumeRole ?? 0, 0);
  });

  it('credential_process exits non-zero → E_PROCESS_FAILED with its stderr and the command to try', async () => {
    fresh();
    for (const profile of ['proc-fails', 'proc-fails-role']) {
      const e = await rejects(obtain(profile), 'E_PROCESS_FAILED', 'proc-fails');
      assert.match(e.message, /credential_process exited with status 2: vault is sealed$/);
      assert.match(e.hint ?? '', /^run the command yourself to see what it does: .*fails\.mjs/);
    }
    assert.deepEqual(emu.counts(), {});
  });

  it('credential_process with an unclosed quote → E_PROCESS_FAILED, nothing run', async () => {
    fresh();
    const e = await rejects(obtain('proc-unclosed'), 'E_PROCESS_FAILED', 'proc-unclosed');
    assert.match(e.message, /credential_process is empty or has an unclosed quote$/);
  });

  it('credential_process printing something that is not the JSON → E_PROCESS_OUTPUT', async () => {
    fresh();
    const e = await rejects(obtain('proc-junk'), 'E_PROCESS_OUTPUT', 'proc-junk');
    assert.match(e.message, /credential_process returned invalid JSON$/);
    assert.match(e.hint ?? '', /"Version": 1/);
  });

  it('an IAM Identity Center source nobody signed in to → E_SSO_LOGIN_REQUIRED in botocore words, `swrole login` on the selected profile; no call', async () => {
    fresh();
    const e = await rejects(obtain('sso-role'), 'E_SSO_LOGIN_REQUIRED', 'sso');
    assert.match(e.message, /Error loading SSO Token: Token for corp does not exist$/);
    assert.match(e.hint ?? '', /`swrole login sso-role`/);
    assert.deepEqual(emu.counts(), {});
  });

  it('a web_identity_token_file that does not exist → E_WEB_IDENTITY_TOKEN naming it; no STS call', async () => {
    fresh();
    const e = await rejects(obtain('web-missing'), 'E_WEB_IDENTITY_TOKEN', 'web-missing');
    assert.ok(e.message.endsWith(`cannot read web_identity_token_file ${join(box.dir, 'no-token')}`), e.message);
    assert.match(e.hint ?? '', /AWS_WEB_IDENTITY_TOKEN_FILE/);
    assert.deepEqual(emu.counts(), {});
  });
});

describe('engine errors: STS rejections from the emulator', () => {
  it('a token no provider issued → E_WEB_IDENTITY_REJECTED (InvalidIdentityToken)', async () => {
    fresh();
    const e = await rejects(obtain('web-rejected'), 'E_WEB_IDENTITY_REJECTED', 'web-rejected');
    assert.match(e.message, new RegExp(`AssumeRoleWithWebIdentity ${ROLE_WEB_IDENTITY_ARN} failed: InvalidIdentityToken: `));
  });

  it('an access key STS does not know → E_INVALID_KEYS', async () => {
    fresh();
    const e = await rejects(obtain('unknown-key'), 'E_INVALID_KEYS', 'unknown-key');
    assert.match(e.message, /InvalidClientTokenId: The security token included in the request is invalid/);
  });

  it('a wrong secret for a known key → E_BAD_SECRET (SignatureDoesNotMatch), the secret never in the message', async () => {
    fresh();
    const e = await rejects(obtain('bad-secret'), 'E_BAD_SECRET', 'bad-secret');
    assert.match(e.message, /SignatureDoesNotMatch/);
    assert.ok(!e.message.includes(USER_SECRET_ACCESS_KEY.slice(0, 20)));
  });

  it('temporary source credentials that have expired → E_TOKEN_EXPIRED, telling to log in again', async () => {
    fresh();
    const issued = (await obtain('nomfa', { noCache: true })).credentials;
    const expired = `\n[expired]\naws_access_key_id = ${issued.accessKeyId}\naws_secret_access_key = ${issued.secretAccessKey}\naws_session_token = ${issued.sessionToken}\n`;
    // The same sandbox and emulator state (a reset would forget the session): only the credentials file changes.
    writeFileSync(box.credentialsFile, credentials(expired));
    emu.advance(2 * 3600);
    const e = await rejects(obtain('expired-source', { noCache: true }), 'E_TOKEN_EXPIRED', 'expired-source');
    assert.match(e.message, /ExpiredToken: The security token included in the request is expired/);
    assert.equal(e.hint, 'the session has expired: run `swrole login expired-source`');
  });

  it('throttling that outlasts the retries → E_STS_THROTTLED after 3 attempts', async () => {
    fresh();
    emu.inject({ code: 'Throttling', count: 3 });
    const e = await rejects(obtain('nomfa'), 'E_STS_THROTTLED', 'nomfa');
    assert.match(e.message, /Throttling: Rate exceeded/);
    assert.equal(emu.counts().AssumeRole, 3);
  });

  it('nothing listening at the STS endpoint → E_STS_UNREACHABLE naming the endpoint', async () => {
    fresh();
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${closed}`;
    const e = await rejects(obtain('nomfa', {}, { AWS_ENDPOINT_URL_STS: url }), 'E_STS_UNREACHABLE', 'nomfa');
    assert.match(e.message, new RegExp(`cannot reach STS at ${url}: ECONNREFUSED`));
    assert.match(
      e.hint ?? '',
      /the connection failed: check AWS_ENDPOINT_URL_STS \/ endpoint_url, the network, and whether this network needs a proxy/,
    );
  });
});

after(() => box?.cleanup());
