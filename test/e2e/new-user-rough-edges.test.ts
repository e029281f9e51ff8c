// Issue 13, "Smaller things": what a new user following the usual blog setups hit, one test per bullet, on the
// built binary against the strict emulator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { MFA_SECRET, MFA_SERIAL, ROLE_A_ARN, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { totp } from '../../emulator/totp.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';

const PWNED = 'pwned-by-a-hint';
const HOSTILE = ['顧客 B', "O'Brien", `$(touch ${PWNED})`];

let emu: EmulatorHandle;
let box: Sandbox;

const env = (extra: Record<string, string> = {}) => ({
  ...box.env,
  SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}) => runSwrole(args, env(extra), { timeoutMs: 60_000 });
const calls = (action: string) => emu.calls().filter((c) => c.action === action);

useEmulatorSandbox((fixture) => {
  ({ emu, box } = fixture);
  // Names as people write them: a space and Japanese, a quote, and shell syntax that must stay data.
  appendFileSync(box.configFile, `\n[profile hyphen]\nrole_arn = arn:aws:iam::1111-1111-1111:role/RoleA\nsource_profile = base\n`);
  for (const name of HOSTILE) {
    appendFileSync(
      box.configFile,
      `\n[profile "${name}"]\nrole_arn = ${ROLE_A_ARN}\nsource_profile = base\nmfa_serial = ${MFA_SERIAL}\nregion = us-east-1\n`,
    );
  }
});

describe('SourceIdentity and session names use the OS user name when USER/LOGNAME are unset (containers), never `unknown`', () => {
  it('an agent session without USER, LOGNAME or USERNAME is attributed to the OS account', async () => {
    const os = userInfo().username;
    const sandboxEnv = env();
    for (const name of ['USER', 'LOGNAME', 'USERNAME']) assert.equal(sandboxEnv[name as keyof typeof sandboxEnv], undefined, name);
    const r = await swrole(['process', 'nomfa', '--agent', 'claude']);
    assert.equal(r.code, 0, r.stderr);
    const call = calls('AssumeRole').at(-1)!;
    assert.equal(call.params.SourceIdentity, os.replace(/[^\w+=,.@-]/g, '-'));
    assert.equal(call.params.RoleSessionName, `swrole-${os}-claude`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64));
    assert.doesNotMatch(JSON.stringify(call.params), /unknown/);
  });
});

describe('suggested commands in hints quote profile names and paths (one quoting helper for all hints)', () => {
  it("`swrole login '顧客 B'`, O'Brien and $(…) come back quoted, and a shell runs them as the same words", async () => {
    for (const name of HOSTILE) {
      const r = await swrole(['process', name]);
      assert.equal(r.code, 4, r.stderr);
      const suggested = /hint: run `(swrole login [^`]+)`/.exec(r.stderr)?.[1];
      assert.ok(suggested !== undefined, r.stderr);
      if (name === '顧客 B') assert.equal(suggested, "swrole login '顧客 B'");
      // The suggestion, run by a shell with swrole replaced by printf, gives back exactly the name and runs nothing.
      const sh = spawnSync('sh', ['-c', `${suggested.replace(/^swrole login /, "printf '%s\\n' ")}`], { cwd: box.dir, encoding: 'utf8' });
      assert.equal(sh.stdout, `${name}\n`, suggested);
      assert.deepEqual(
        readdirSync(box.dir).filter((f) => f === PWNED),
        [],
        `${suggested} ran code`,
      );
    }
  });
});

describe('local validation, before any STS call', () => {
  const stsCalls = () => emu.calls().length;

  it('`--duration 10` gets a usage error naming the limits, before any STS call', async () => {
    const before = stsCalls();
    for (const args of [
      ['exec', 'a', '--duration', '10', '--', 'true'],
      ['process', 'nomfa', '--duration', '10'],
      ['env', 'nomfa', '--duration=10s'],
      ['process', 'nomfa', '--duration', '13h'],
    ]) {
      const r = await swrole(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--duration \S+ \(\d+ s\) is out of range: a role session lasts 15m to 12h/, args.join(' '));
    }
    assert.equal(stsCalls(), before, 'no STS call');
  });

  it('`login --duration 37h` is refused (an MFA session lasts 15m to 36h)', async () => {
    const before = stsCalls();
    const r = await swrole(['login', 'a', '--duration', '37h', '--mfa-code', '123456']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /login: --duration 37h \(133200 s\) is out of range: an MFA session \(GetSessionToken\) lasts 15m to 36h/);
    assert.equal(stsCalls(), before, 'no STS call');
  });

  it('a `role_arn` with a malformed account is flagged by `list` and `explain`', async () => {
    const flagged =
      /warning: profile "hyphen": role_arn arn:aws:iam::1111-1111-1111:role\/RoleA has a malformed account "1111-1111-1111": an account id is 12 digits, no hyphens or spaces: write it as 111111111111/;
    const list = await swrole(['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stderr, flagged);
    const json = JSON.parse((await swrole(['list', '--json'])).stdout) as { profiles: Array<{ profile: string; warnings: string[] }> };
    assert.equal(json.profiles.find((p) => p.profile === 'hyphen')?.warnings.length, 1);
    const explain = await swrole(['explain', 'hyphen']);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stderr, flagged);
    assert.doesNotMatch((await swrole(['explain', 'a'])).stderr, /malformed/);
  });

  it('`agent guard` without `--allow` is a usage error', async () => {
    const r = await runSwrole(['agent', 'guard'], env(), { input: '{"tool_name":"Bash","tool_input":{"command":"ls"}}' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /agent guard: --allow LIST is required/);
    assert.equal(r.stdout, '');
  });

  it('`shell-init` without a shell name uses `$SHELL`', async () => {
    for (const [shell, name] of [
      ['/usr/bin/zsh', 'zsh'],
      ['/bin/bash', 'bash'],
      ['/usr/local/bin/fish', 'fish'],
    ] as const) {
      const r = await swrole(['shell-init'], { SHELL: shell });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^# swrole shell integration for ${name}\\.`));
    }
    const unknown = await swrole(['shell-init'], { SHELL: '/bin/tcsh' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /name a shell: bash, zsh, fish, pwsh \(\$SHELL is \/bin\/tcsh\)/);
  });
});

describe('`list` aligns columns by display width (Japanese names)', () => {
  it("every row's KIND column starts at the same terminal column as the header's", async () => {
    const r = await swrole(['list']);
    assert.equal(r.code, 0, r.stderr);
    // Counted independently of swrole's own width table: CJK ideographs and kana take two columns.
    const columns = (text: string) => [...text].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uff60]/.test(c) ? 2 : 1), 0);
    const lines = r.stdout.trimEnd().split('\n');
    const at = (line: string) =>
      columns(line.slice(0, line.search(/ {2}(?:KIND|role|static|process|webIdentity|credentialSource|none|invalid) /) + 2));
    const header = at(lines[0]!);
    const japanese = lines.find((l) => l.startsWith('顧客 B'));
    assert.ok(japanese !== undefined, r.stdout);
    for (const line of lines) assert.equal(at(line), header, line);
  });
});

describe('`--duration` above 1 h inside an agent: the hint explains MFA on AssumeRole itself instead of sending the user to `login`', () => {
  it('with a valid MFA session cached, `exec a --duration 2h` in Claude Code says --mfa-code or ≤ 1h', async () => {
    emu.advance(30);
    const login = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
    assert.equal(login.code, 0, login.stderr);
    const r = await swrole(['exec', 'a', '--duration', '2h', '--', 'true'], { CLAUDECODE: '1' });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /a role session of 2 h needs an MFA code for \S+ on AssumeRole itself/);
    assert.match(
      r.stderr,
      /hint: AWS limits a role assumed with an MFA session to 1 h, so `swrole login a` cannot help here: pass --mfa-code CODE/,
    );
    assert.match(r.stderr, /--duration 1h or less/);
    const ok = await swrole(['exec', 'a', '--duration', '1h', '--', 'true'], { CLAUDECODE: '1' });
    assert.equal(ok.code, 0, `≤ 1h is served from the MFA session: ${ok.stderr}`);
  });
});

describe('one IAM user behind two source profiles (same keys, same mfa_serial) shares one MFA session', () => {
  it('`login a` then `login a2` (source base2, no code, no terminal) finds the session; `logout a2` drops the shared one', async () => {
    appendFileSync(
      box.credentialsFile,
      `\n[base2]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key = ${USER_SECRET_ACCESS_KEY}\n`,
    );
    appendFileSync(
      box.configFile,
      `\n[profile a2]\nrole_arn = ${ROLE_A_ARN}\nsource_profile = base2\nmfa_serial = ${MFA_SERIAL}\nregion = us-east-1\n`,
    );
    assert.equal((await swrole(['logout', '--all'])).code, 0);
    emu.advance(30);
    const first = await swrole(['login', 'a', '--mfa-code', totp(MFA_SECRET, emu.now())]);
    assert.equal(first.code, 0, first.stderr);
    const sessions = calls('GetSessionToken').length;
    const second = await swrole(['login', 'a2']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /MFA session still valid for \S+ \(source profile "base2"\)/);
    assert.equal(calls('GetSessionToken').length, sessions, 'no second MFA code, no second GetSessionToken');
    assert.equal((await swrole(['process', 'a2'])).code, 0);
    const logout = await swrole(['logout', 'a2']);
    assert.equal(logout.code, 0, logout.stderr);
    const after = await swrole(['login', 'a']);
    assert.equal(after.code, 4, 'the shared MFA session went with `logout a2`');
    assert.match(after.stderr, /an MFA code for \S+ is needed/);
  });
});
