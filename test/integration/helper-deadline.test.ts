// Issue 15 "Helper timeouts do not hold": credential_process (120 s) and mfa_process (60 s) ran past 200 s
// when the helper ignored SIGTERM or a grandchild it put in the background kept stdout open. Real processes,
// the production code paths, shorter limits: each run ends within its bound, and no process of the helper's
// group survives (kill -0 on the pids the helper wrote to a file, and on the group).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCredentialProcess } from '../../src/credentials/run-credential-process.js';
import { resolveMfaCode } from '../../src/credentials/mfa-code.js';
import type { HelperLimits } from '../../src/platform/run-helper.js';
import type { Deps } from '../../src/platform/deps.js';
import { isSwroleError } from '../../src/errors.js';
import { spawn } from 'node:child_process';
import { DIST, ensureBuilt } from '../helpers/swrole-run.js';
import { alive } from '../helpers/wait-for.js';

const LIMITS: HelperLimits = { timeoutMs: 2000, graceMs: 500, drainMs: 200 };
/**
 * A helper that answers and leaves a pipe held gets a far deadline: answering before it shows that swrole did not
 * wait for the leftover's pipe (which it would hold till the deadline), however loaded the machine.
 */
const ANSWER_LIMITS: HelperLimits = { ...LIMITS, timeoutMs: 20_000 };
const limitsFor = (row: Row): HelperLimits => (row.expect === 'ok' ? ANSWER_LIMITS : LIMITS);
/** Deadline + grace, plus a generous margin for a loaded 2-core machine. */
const boundMs = (row: Row) => limitsFor(row).timeoutMs + (limitsFor(row).graceMs ?? 0) + 2500;
const CREDS = '{"Version": 1, "AccessKeyId": "AKIAHELPER0000000001", "SecretAccessKey": "helperSecretForTestsOnly"}';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'swrole-helper-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function deps(): Deps {
  return {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    now: () => Date.now(),
    homedir: dir,
    cwd: dir,
    platform: process.platform,
    user: process.platform === 'win32' ? undefined : { uid: process.geteuid!(), gid: process.getegid!() },
    pid: process.pid,
    stdout: { write: () => undefined },
    stderr: { write: () => undefined },
    interactive: false,
    readStdin: async () => ({ ok: false, reason: 'no stdin' }),
    nodePath: process.execPath,
    selfPath: '/nonexistent/swrole.js',
  };
}

/** Whether any process of group `pgid` is still alive (zombies excepted), by kill -0 on the group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill -0 also succeeds for zombies: look at each member.
  return membersOf(pgid).some(alive);
}

function membersOf(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

interface Row {
  name: string;
  helper: 'credential_process' | 'mfa_process';
  /** sh script; $PIDS is the file where it writes "<its pid> <grandchild pid>". */
  script: string;
  /** 'timeout': fails with the helper's error code, saying so; 'ok': answers before the deadline. */
  expect: 'timeout' | 'ok';
}

const ROWS: Row[] = [
  {
    name: 'credential_process that ignores SIGTERM',
    helper: 'credential_process',
    script: `trap '' TERM; echo "$$ $$" > "$PIDS"; while :; do sleep 1; done`,
    expect: 'timeout',
  },
  {
    name: 'credential_process whose background `sleep 1000` holds stdout',
    helper: 'credential_process',
    script: `sleep 1000 & echo "$$ $!" > "$PIDS"; wait`,
    expect: 'timeout',
  },
  {
    name: 'credential_process whose background `sleep 1000` holds stdout and ignores SIGTERM',
    helper: 'credential_process',
    script: `(trap '' TERM; exec sleep 1000) & echo "$$ $!" > "$PIDS"; wait`,
    expect: 'timeout',
  },
  {
    name: 'credential_process that answers, exits 0 and leaves `sleep 1000` holding stdout',
    helper: 'credential_process',
    script: `printf '%s' '${CREDS}'; sleep 1000 & echo "$$ $!" > "$PIDS"; exit 0`,
    expect: 'ok',
  },
  {
    name: 'mfa_process that ignores SIGTERM',
    helper: 'mfa_process',
    script: `trap '' TERM; echo "$$ $$" > "$PIDS"; while :; do sleep 1; done`,
    expect: 'timeout',
  },
  {
    name: 'mfa_process whose background `sleep 1000` holds stdout',
    helper: 'mfa_process',
    script: `sleep 1000 & echo "$$ $!" > "$PIDS"; wait`,
    expect: 'timeout',
  },
  {
    name: 'mfa_process that prints the code, exits 0 and leaves `sleep 1000` holding stdout',
    helper: 'mfa_process',
    script: `echo 123456; sleep 1000 & echo "$$ $!" > "$PIDS"; exit 0`,
    expect: 'ok',
  },
];

function run(row: Row, index: number, pidsFile: string): Promise<unknown> {
  const scriptFile = join(dir, `helper-${index}.sh`);
  writeFileSync(scriptFile, row.script.replaceAll('"$PIDS"', `'${pidsFile}'`));
  // credential_process: split like botocore, no shell; mfa_process: run through /bin/sh -c. Both start sh SCRIPT.
  if (row.helper === 'credential_process') return runCredentialProcess(`/bin/sh ${scriptFile}`, 'p', deps(), limitsFor(row));
  return resolveMfaCode({
    profile: 'p',
    serial: 'arn:aws:iam::111111111111:mfa/x',
    mfaProcess: `exec /bin/sh ${scriptFile}`,
    allowPrompt: false,
    deps: deps(),
    mfaProcessLimits: limitsFor(row),
  });
}

describe('issue 15: helper timeouts hold (process group killed, pipes abandoned at the deadline)', { concurrency: true }, () => {
  for (const [index, row] of ROWS.entries()) {
    it(row.name, async () => {
      const pidsFile = join(dir, `pids-${index}`);
      writeFileSync(pidsFile, '');
      const started = performance.now();
      const result = await run(row, index, pidsFile).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const ms = performance.now() - started;
      console.log(`# measured: ${row.name} → ${result.ok ? 'answered' : 'failed'} in ${ms.toFixed(0)} ms`);
      if (row.expect === 'ok') {
        assert.ok(result.ok, `failed: ${String(!result.ok && result.error)}`);
        assert.ok(ms < ANSWER_LIMITS.timeoutMs, `answered only after ${ms.toFixed(0)} ms: it waited for the leftover's pipe`);
      } else {
        assert.ok(!result.ok, 'a helper past its deadline must fail');
        assert.ok(isSwroleError(result.error), String(result.error));
        assert.equal(result.error.code, row.helper === 'credential_process' ? 'E_PROCESS_FAILED' : 'E_MFA_PROCESS');
        assert.equal(result.error.exit, 4);
        assert.match(result.error.message, /did not finish within 2 s/);
        assert.ok(ms >= LIMITS.timeoutMs - 50, `ended early: ${ms.toFixed(0)} ms`);
      }
      assert.ok(ms < boundMs(row), `took ${ms.toFixed(0)} ms (bound ${boundMs(row)} ms)`);
      const [helperPid, grandchildPid] = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number) as [number, number];
      assert.ok(helperPid > 0 && grandchildPid > 0, 'the helper wrote its pids');
      assert.ok(await eventually(() => !alive(grandchildPid)), `grandchild ${grandchildPid} survived (kill -0 succeeds)`);
      assert.ok(await eventually(() => !alive(helperPid)), `helper ${helperPid} survived`);
      // The helper leads its own group (detached): nothing of that group may be left.
      assert.ok(await eventually(() => !groupAlive(helperPid)), `process group ${helperPid} still has live members`);
    });
  }
});

describe('a helper in its own process group still dies with swrole', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} to swrole while credential_process runs ends the helper's group and swrole dies of ${sig}`, async () => {
      ensureBuilt();
      const pidsFile = join(dir, `pids-${sig}`);
      writeFileSync(pidsFile, '');
      const script = join(dir, `slow-${sig}.sh`);
      writeFileSync(script, `sleep 1000 & echo "$$ $!" > '${pidsFile}'; wait\n`);
      const config = join(dir, `config-${sig}`);
      writeFileSync(config, `[profile slow]\ncredential_process = /bin/sh ${script}\nregion = us-east-1\n`);
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        SWROLE_HOME: join(dir, `state-${sig}`),
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      };
      const child = spawn(process.execPath, [DIST, 'process', 'slow'], { env, stdio: 'ignore', detached: true });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      assert.ok(await eventually(() => readFileSync(pidsFile, 'utf8').trim() !== '', 10_000), 'the helper started');
      const [helperPid, grandchildPid] = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number) as [number, number];
      child.kill(sig);
      const result = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
      if (result === 'hung') child.kill('SIGKILL');
      assert.notEqual(result, 'hung', 'swrole did not end');
      assert.equal(result === 'hung' ? null : result.signal, sig);
      const gone = await eventually(() => !alive(grandchildPid) && !alive(helperPid));
      // A failure must not leave the helper and its `sleep 1000` behind (they are in their own session).
      if (!gone) for (const pid of [grandchildPid, helperPid]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      assert.ok(gone, 'the helper or its grandchild survived');
    });

    // The relay must be in place before the helper starts: a helper runs before spawn() has returned, and a
    // signal that reached swrole before its handler killed it by default and left the helper's group running
    // (with the handler installed after spawn() this leaked in 7 of 12 cases here, the case above in 2 of 15 under load).
    it(`${sig} to swrole from the helper's first line (before spawn() returned) still ends the helper's group`, async () => {
      ensureBuilt();
      const pidsFile = join(dir, `pids-early-${sig}`);
      writeFileSync(pidsFile, '');
      const script = join(dir, `early-${sig}.sh`);
      // No shell between swrole and the helper (credential_process is split, not run by sh -c): $PPID is swrole.
      writeFileSync(script, `sleep 1000 & echo "$$ $!" > '${pidsFile}'; kill -${sig.slice(3)} $PPID; wait\n`);
      const config = join(dir, `config-early-${sig}`);
      writeFileSync(config, `[profile early]\ncredential_process = /bin/sh ${script}\nregion = us-east-1\n`);
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        SWROLE_HOME: join(dir, `state-early-${sig}`),
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      };
      const child = spawn(process.execPath, [DIST, 'process', 'early'], { env, stdio: 'ignore', detached: true });
      const result = await Promise.race([
        new Promise<{ signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (_code, signal) => resolve({ signal }))),
        new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000)),
      ]);
      if (result === 'hung') child.kill('SIGKILL');
      assert.notEqual(result, 'hung', 'swrole did not end');
      assert.equal(result === 'hung' ? null : result.signal, sig);
      const [helperPid, grandchildPid] = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number) as [number, number];
      assert.ok(helperPid > 0 && grandchildPid > 0, 'the helper wrote its pids');
      const gone = await eventually(() => !alive(grandchildPid) && !alive(helperPid));
      if (!gone) for (const pid of [grandchildPid, helperPid]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      assert.ok(gone, 'the helper or its grandchild survived swrole');
    });
  }
});
