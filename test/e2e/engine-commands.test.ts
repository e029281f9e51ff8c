// The built binary, spawned as users and SDKs do: login → process/env/whoami/logout, the hot path,
// non-interactive failure, a 50-process race, a killed lock holder, and a secrets audit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { totp } from '../../emulator/totp.js';
import { ACCOUNT_A, MFA_SECRET, ROLE_NO_MFA_ARN, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { DIST, type RunResult, runSwrole, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;
const outputs: RunResult[] = [];

async function swrole(args: string[], extra: Record<string, string> = {}, timeoutMs?: number): Promise<RunResult> {
  const r = await runSwrole(args, { ...box.env, ...extra }, { timeoutMs });
  outputs.push(r);
  return r;
}

function code(): string {
  emu.advance(30);
  return totp(MFA_SECRET, emu.now());
}

/** swrole runs on the emulator's clock (the lead's SWROLE_NOW_OFFSET_MS) so MFA codes and expiry agree. */
function clockEnv(): Record<string, string> {
  return { SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
}

useEmulatorSandbox((fixture) => ({ emu, box } = fixture));

/** dist/ is CommonJS: a preload records every module in require.cache when the process exits. */
async function runRecordingModules(args: string[], name: string): Promise<{ code: number | null; stdout: string; loaded: string[] }> {
  const log = join(box.dir, `modules-${name}.log`);
  const hook = join(box.dir, `record-modules-${name}.cjs`);
  writeFileSync(
    hook,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join('\\n')));\n`,
  );
  const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--require', hook, DIST, ...args], {
      env: { ...box.env, ...clockEnv() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.on('close', (code) => resolve({ code, stdout }));
  });
  return { ...r, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('swrole process / env / login (e2e)', () => {
  it('process with MFA needed and no terminal exits 4 without waiting for a person, nothing on stdout', async () => {
    const r = await swrole(['process', 'a'], clockEnv());
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /swrole login a/);
    // A wait for a person would hang until runSwrole's kill (code null, not 4); how soon it exits is reported.
    console.log(`# measured: process without MFA session, no tty → exit 4 in ${r.ms.toFixed(0)} ms`);
    const agent = await swrole(['env', 'a'], { ...clockEnv(), CLAUDECODE: '1' });
    assert.equal(agent.code, 4);
  });

  it('login with --mfa-code, then process/env are cache hits that load no AWS SDK module', async () => {
    const login = await swrole(['login', 'ro', '--mfa-code', code()], clockEnv());
    assert.equal(login.code, 0, login.stderr);
    assert.equal(login.stdout, '');
    assert.match(login.stderr, /MFA session started/);
    assert.match(login.stderr, /assumed-role\/RoleReadOnly/);
    const before = emu.counts();
    const r = await runRecordingModules(['process', 'ro'], 'hit');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(json.Version, 1);
    assert.match(String(json.AccessKeyId), /^ASIA/);
    assert.ok(
      r.loaded.some((f) => f.endsWith('swrole.js')),
      `the recorder saw the entry: ${r.loaded.join(', ')}`,
    );
    for (const file of r.loaded) {
      assert.doesNotMatch(
        file,
        /@aws-sdk|aws-sdk-sdk-clients|sdk-gateway|sdk-sso-gateway|cache-key-lock|obtain-credentials/,
        `${file} was loaded on a cache hit`,
      );
      assert.doesNotMatch(
        readFileSync(file, 'utf8'),
        /node_modules\/@aws-sdk|@aws-sdk\/client-sts|acquireFileLock/,
        `${file} carries the AWS SDK or the lock`,
      );
    }
    const env = await swrole(['env', 'ro', '--format', 'json'], clockEnv());
    assert.equal(env.code, 0, env.stderr);
    assert.equal(JSON.parse(env.stdout).AWS_ACCESS_KEY_ID, json.AccessKeyId);
    assert.deepEqual(emu.counts(), before, 'no STS call on a hit');
    // The oracle works: a miss does load the lock (and the engine).
    const miss = await runRecordingModules(['process', 'nomfa'], 'miss');
    assert.equal(miss.code, 0);
    assert.ok(
      miss.loaded.some((f) => f.endsWith('cache-key-lock.js')),
      miss.loaded.join(', '),
    );
  });

  it('50 concurrent `swrole process a` on a cold role cache with an MFA session: 1 AssumeRole, identical credentials', async () => {
    const before = emu.counts().AssumeRole ?? 0;
    const env = { ...box.env, ...clockEnv() };
    const runs = await Promise.all(Array.from({ length: 50 }, () => runSwrole(['process', 'a'], env, { timeoutMs: 60_000 })));
    outputs.push(...runs);
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const keys = new Set(runs.map((r) => (JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId));
    assert.equal(keys.size, 1);
    assert.equal((emu.counts().AssumeRole ?? 0) - before, 1);
    assert.equal(emu.counts().GetSessionToken, 1);
  });

  it('a process killed (SIGKILL) while holding the lock, its lock file dated an hour ahead: the next caller is through in < 2 s', async () => {
    // A credential_process that hangs the first time (after saying so), so the holder is killed inside its fetch.
    const hang = join(box.dir, 'hang-once');
    const script = join(box.dir, 'slow-proc.mjs');
    writeFileSync(
      script,
      `import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
const hang = ${JSON.stringify(hang)};
if (existsSync(hang)) {
  unlinkSync(hang);
  writeFileSync(hang + '.started', String(process.pid));
  setTimeout(() => {}, 60_000);
} else {
  process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(USER_ACCESS_KEY_ID)}, SecretAccessKey: ${JSON.stringify(USER_SECRET_ACCESS_KEY)} }));
}
`,
    );
    const config = join(box.dir, 'config-slow-proc');
    writeFileSync(
      config,
      `[profile slow]\ncredential_process = "${process.execPath}" "${script}"\n\n[profile slow-role]\nrole_arn = ${ROLE_NO_MFA_ARN}\nsource_profile = slow\nregion = us-east-1\n`,
    );
    writeFileSync(hang, '');
    const env = { ...box.env, ...clockEnv(), AWS_CONFIG_FILE: config };
    const sessions = join(box.stateDir, 'sessions');
    const locks = () => readdirSync(sessions).filter((f) => f.endsWith('.lock'));
    assert.deepEqual(locks(), []);
    const holder = spawn(process.execPath, [DIST, 'process', 'slow-role'], { env, stdio: 'ignore', detached: true });
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${hang}.started`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(locks().length, 1, 'the holder is inside its fetch, holding the role lock');
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('close', r));
    process.kill(Number(readFileSync(`${hang}.started`, 'utf8')), 'SIGKILL');
    const [lock] = locks();
    const ahead = new Date(Date.now() + 3600_000);
    utimesSync(join(sessions, lock!), ahead, ahead);
    const next = await runSwrole(['process', 'slow-role'], env, { timeoutMs: 30_000 });
    outputs.push(next);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(locks(), [], 'the dead lock was taken over and released');
    // The same cold call without any lock left behind: what the dead lock cost is the difference.
    assert.equal((await swrole(['logout', 'slow-role'], env)).code, 0);
    const baseline = await swrole(['process', 'slow-role'], env);
    assert.equal(baseline.code, 0, baseline.stderr);
    assert.ok(next.ms < baseline.ms + 2000, `took ${next.ms.toFixed(0)} ms, ${baseline.ms.toFixed(0)} ms without the dead lock`);
    console.log(
      `# measured: next caller after a SIGKILLed lock holder (lock mtime +1 h): ${next.ms.toFixed(0)} ms (the same cold call without it: ${baseline.ms.toFixed(0)} ms)`,
    );
  });

  it('whoami --json names the assumed role; logout removes the sessions', async () => {
    const who = await swrole(['whoami', 'a', '--json'], clockEnv());
    assert.equal(who.code, 0, who.stderr);
    const id = JSON.parse(who.stdout) as { Account: string; Arn: string };
    assert.equal(id.Account, ACCOUNT_A);
    assert.match(id.Arn, /assumed-role\/RoleA\//);
    // A writer killed mid-write leaves a temp file holding a whole session (issue 15): logout takes it too.
    const sessions = join(box.stateDir, 'sessions');
    const plantTemp = (name: string) =>
      writeFileSync(
        join(sessions, name),
        readFileSync(
          join(
            sessions,
            readdirSync(sessions).find((f) => f.endsWith('.json'))!,
          ),
        ),
      );
    plantTemp(`.${'d'.repeat(64)}.json.swrole-k1lled01.tmp`);
    const out = await swrole(['logout', 'a'], clockEnv());
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /removed [1-9]\d* cached session/);
    assert.deepEqual(
      readdirSync(sessions).filter((f) => f.endsWith('.tmp')),
      [],
      'logout PROFILE removed the temp file',
    );
    const again = await swrole(['process', 'a'], clockEnv());
    assert.equal(again.code, 4, 'the MFA session is gone too');
    plantTemp(`.${'e'.repeat(64)}.json.swrole-k1lled02.tmp`);
    const all = await swrole(['logout', '--all'], clockEnv());
    assert.equal(all.code, 0);
    assert.deepEqual(
      readdirSync(sessions).filter((f) => f.endsWith('.tmp')),
      [],
      'logout --all removed the temp file',
    );
  });

  it('logout needs no STS endpoint: a profile that lost its region is still logged out; two different profiles are refused', async () => {
    const got = await swrole(['process', 'nomfa'], clockEnv());
    assert.equal(got.code, 0, got.stderr);
    // The same config without any region: with AWS_ENDPOINT_URL_STS set, no STS call can be made now (the cached
    // session would still answer a plain `process`: only an STS call needs the region).
    const noRegion = join(box.dir, 'config-no-region');
    writeFileSync(noRegion, readFileSync(box.configFile, 'utf8').replace(/^region = .*\n/gm, ''));
    const env = { ...clockEnv(), AWS_CONFIG_FILE: noRegion };
    const proc = await swrole(['process', 'nomfa', '--no-cache'], env);
    assert.equal(proc.code, 3, 'the premise: this profile cannot be used without a region');
    assert.match(proc.stderr, /no region/);
    const out = await swrole(['logout', 'nomfa'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /removed 1 cached session\(s\) for profile "nomfa"/);
    const both = await swrole(['logout', 'nomfa', '--profile', 'a'], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /two profiles given \("nomfa" and --profile "a"\)/);
  });

  it('--debug runs never show a secret; cache files are 0600 in 0700 dirs; no SDK warning', async () => {
    const dbg = await swrole(['login', 'a', '--mfa-code', code(), '--debug'], clockEnv());
    assert.equal(dbg.code, 0, dbg.stderr);
    const p = await swrole(['process', 'a', '--debug', '--no-cache', '--mfa-code', code()], clockEnv());
    assert.equal(p.code, 0, p.stderr);
    const secrets = [USER_SECRET_ACCESS_KEY];
    for (const r of outputs.filter((o) => o.stdout.startsWith('{'))) {
      const parsed = JSON.parse(r.stdout) as { SecretAccessKey?: string; SessionToken?: string };
      if (parsed.SecretAccessKey) secrets.push(parsed.SecretAccessKey);
      if (parsed.SessionToken) secrets.push(parsed.SessionToken);
    }
    for (const r of outputs) {
      for (const s of secrets) assert.ok(!r.stderr.includes(s), 'a secret leaked into stderr');
      assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning|DeprecationWarning/);
    }
    const dir = join(box.stateDir, 'sessions');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0);
    for (const f of files) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600);
  });
});
