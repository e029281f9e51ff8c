// A throwaway swrole world for tests: temp HOME with ~/.aws files, SWROLE_HOME, env pointing at the
// emulator; in-process Deps for integration tests and a spawner of the built dist/swrole.js for e2e.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Deps } from '../../src/platform/deps.js';
import { spawnDetached, type Run } from './run-detached.js';
import {
  EXTERNAL_ID,
  MFA_SERIAL,
  OTHER_ACCESS_KEY_ID,
  OTHER_SECRET_ACCESS_KEY,
  ROLE_A_ARN,
  ROLE_CHAINED_ARN,
  ROLE_EXTERNAL_ID_ARN,
  ROLE_NO_MFA_ARN,
  ROLE_READ_ONLY_ARN,
  ROLE_WEB_IDENTITY_ARN,
  ROOT_ACCESS_KEY_ID,
  ROOT_SECRET_ACCESS_KEY,
  USER_ACCESS_KEY_ID,
  USER_SECRET_ACCESS_KEY,
  WEB_IDENTITY_TOKEN,
} from './emulator-world.js';

/** The built binary; SWROLE_TEST_DIST points at another build (e.g. a bench or a private build). */
export const DIST = resolve(process.env.SWROLE_TEST_DIST ?? 'dist/swrole.js');

/** Builds dist/ when a test file runs on its own (`npm test` builds first). */
export function ensureBuilt(): void {
  if (!statSync(DIST, { throwIfNoEntry: false })) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

/** A user's home as the AWS tools find it: HOME/.aws/config and HOME/.aws/credentials (0600). Returns the config path. */
export function writeUserAwsFiles(home: string, config: string, credentials: string = sampleCredentials()): string {
  mkdirSync(join(home, '.aws'), { recursive: true });
  const configFile = join(home, '.aws', 'config');
  writeFileSync(configFile, config);
  writeFileSync(join(home, '.aws', 'credentials'), credentials, { mode: 0o600 });
  return configFile;
}

export interface Sandbox {
  dir: string;
  home: string;
  stateDir: string;
  configFile: string;
  credentialsFile: string;
  /** Env for swrole (in-process or spawned): temp HOME, files, emulator endpoint, no agent markers. */
  env: Record<string, string>;
  cleanup(): void;
}

/** The sample profiles used by the engine tests (see test/helpers/emulator-world.ts for the roles). */
export function sampleConfig(dir: string): string {
  const token = join(dir, 'web-token');
  writeFileSync(token, WEB_IDENTITY_TOKEN);
  const proc = join(dir, 'proc.mjs');
  writeFileSync(
    proc,
    `process.stdout.write(JSON.stringify({Version: 1, AccessKeyId: ${JSON.stringify(USER_ACCESS_KEY_ID)}, SecretAccessKey: ${JSON.stringify(USER_SECRET_ACCESS_KEY)}}));\n`,
  );
  return `[default]
region = us-east-1

[profile a]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
region = us-east-1

[profile ro]
role_arn = ${ROLE_READ_ONLY_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
region = us-east-1

[profile nomfa]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = base
region = eu-west-1

[profile chained]
role_arn = ${ROLE_CHAINED_ARN}
source_profile = a
duration_seconds = 7200
region = us-east-1

[profile a-long]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = ${MFA_SERIAL}
duration_seconds = 7200
region = us-east-1

[profile ext]
role_arn = ${ROLE_EXTERNAL_ID_ARN}
source_profile = base
external_id = ${EXTERNAL_ID}
region = us-east-1

[profile ext-wrong]
role_arn = ${ROLE_EXTERNAL_ID_ARN}
source_profile = base
external_id = not-the-right-id
region = us-east-1

[profile bad-serial]
role_arn = ${ROLE_A_ARN}
source_profile = base
mfa_serial = arn:aws:iam::333333333333:mfa/nobody
region = us-east-1

[profile web]
role_arn = ${ROLE_WEB_IDENTITY_ARN}
web_identity_token_file = ${token}
region = us-east-1

[profile proc]
credential_process = "${process.execPath}" "${proc}"
region = us-east-1

[profile proc-role]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = proc
region = us-east-1

[profile env-role]
role_arn = ${ROLE_NO_MFA_ARN}
credential_source = Environment
region = us-east-1

[profile root-a]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = rootkeys
region = us-east-1

[profile other-a]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = other
region = us-east-1
`;
}

/** The sample profiles with profile a reaching STS through a `[services]` endpoint, as a user with a private STS would. */
export function sampleConfigWithStsEndpoint(dir: string, stsUrl: string): string {
  return `${sampleConfig(dir).replace('[profile a]\n', '[profile a]\nservices = emu\n')}\n[services emu]\nsts =\n  endpoint_url = ${stsUrl}\n`;
}

export function sampleCredentials(): string {
  return `[base]
aws_access_key_id = ${USER_ACCESS_KEY_ID}
aws_secret_access_key = ${USER_SECRET_ACCESS_KEY}

[rootkeys]
aws_access_key_id = ${ROOT_ACCESS_KEY_ID}
aws_secret_access_key = ${ROOT_SECRET_ACCESS_KEY}

[other]
aws_access_key_id = ${OTHER_ACCESS_KEY_ID}
aws_secret_access_key = ${OTHER_SECRET_ACCESS_KEY}
`;
}

export function createSandbox(emulatorUrl: string, config?: string, credentials?: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'swrole-engine-'));
  const home = join(dir, 'home');
  const stateDir = join(dir, 'state');
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(configFile, config ?? sampleConfig(dir));
  writeFileSync(credentialsFile, credentials ?? sampleCredentials());
  chmodSync(credentialsFile, 0o600);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    SWROLE_HOME: stateDir,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_ENDPOINT_URL_STS: emulatorUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { dir, home, stateDir, configFile, credentialsFile, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Captured {
  deps: Deps;
  stdout: () => string;
  stderr: () => string;
}

/** In-process Deps over a sandbox: captured stdio, the given clock, not interactive unless asked. */
export function sandboxDeps(sandbox: Sandbox, now: () => number, extra: Partial<Deps> & { env?: Record<string, string> } = {}): Captured {
  let out = '';
  let err = '';
  const deps: Deps = {
    env: { ...sandbox.env, ...(extra.env ?? {}) },
    now,
    homedir: sandbox.home,
    cwd: sandbox.dir,
    platform: process.platform,
    user: process.platform === 'win32' ? undefined : { uid: process.geteuid!(), gid: process.getegid!() },
    pid: process.pid,
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    interactive: extra.interactive ?? false,
    readStdin: extra.readStdin ?? (async () => ({ ok: false, reason: 'no stdin in tests' })),
    nodePath: process.execPath,
    selfPath: DIST,
  };
  return { deps, stdout: () => out, stderr: () => err };
}

export type RunResult = Run;

/** Spawns `node dist/swrole.js ARGS` (or another build's `dist`) with the sandbox env (+extra); detached so no /dev/tty is reachable. */
export function runSwrole(
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; input?: string; dist?: string; niceness?: number; cwd?: string } = {},
): Promise<RunResult> {
  return spawnDetached(process.execPath, [options.dist ?? DIST, ...args], env, options);
}
