// Fault injection at every place swrole writes (issue 8 §2): a state dir under a plain file, read-only and
// permission-denied directories, a full disk. Each failure is a swrole error naming the path, with a hint and
// the registry's exit code, never "internal error" with a stack; where the design says to degrade (the session
// cache, the hit memo, the audit log, the SessionStart hook) the command still succeeds. How each fault is made:
// test/helpers/write-faults.ts.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { createSandbox, runSwrole, type RunResult, type Sandbox } from '../helpers/swrole-run.js';
import { faultUnavailable, runWithFault, type Fault, type FaultRun } from '../helpers/write-faults.js';
import { ssoCacheDir, ssoConfig, writeTokenFile } from '../helpers/sso-world.js';
import { exitCodeOf, type ErrorCode } from '../../src/errors.js';
import { projectKey } from '../../src/platform/project-key.js';

let emu: EmulatorHandle;

useEmulatorSandbox((fixture) => ({ emu } = fixture));

/** The errno each fault must surface as (permission denied may come as EPERM from chmod). */
const ERRNO: Record<Fault, RegExp> = {
  ENOTDIR: /ENOTDIR/,
  EISDIR: /EISDIR/,
  EACCES: /EACCES|EPERM/,
  EROFS: /EROFS/,
  ENOSPC: /ENOSPC/,
};

interface World {
  box: Sandbox;
  env: Record<string, string>;
  project: string;
}

function world(): World {
  const box = createSandbox(emu.url);
  // Older than the hit memo's settle time, so a successful answer also writes its memo (one more write site).
  const past = new Date(Date.now() - 60_000);
  for (const file of [box.configFile, box.credentialsFile]) utimesSync(file, past, past);
  const project = join(box.dir, 'project');
  mkdirSync(project);
  const env = { ...box.env, SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) };
  return { box, env, project };
}

async function healthy(w: World, args: string[], env: Record<string, string> = w.env): Promise<RunResult> {
  const r = await runSwrole(args, env);
  assert.equal(r.code, 0, `setup run swrole ${args.join(' ')}: ${r.stderr}`);
  return r;
}

function noBug(r: RunResult, how: string): void {
  assert.doesNotMatch(r.stderr, /internal error|this is a bug/, `${how}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `no stack trace (${how}): ${r.stderr}`);
}

/** What the hint must tell the user to do about each fault. */
const REMEDY: Record<Fault, RegExp> = {
  ENOTDIR: /move the file .* out of the way/,
  EISDIR: /remove or rename the directory/,
  EACCES: /check the owner and permissions of/,
  EROFS: /read-only file system/,
  ENOSPC: /free some space on the disk/,
};

/**
 * A clear swrole error: the registry's exit code, the code (under --debug), the path and the errno in the
 * message, a hint saying what to do (and `hint`, the site's own advice), nothing on stdout, no stack.
 */
function assertFileError(r: FaultRun, fault: Fault, code: ErrorCode, path: string, hint?: RegExp): void {
  noBug(r, r.how);
  assert.equal(r.code, exitCodeOf(code), `exit code (${r.how}): ${r.stderr}`);
  assert.equal(r.stdout, '', `nothing on stdout (${r.how})`);
  const [message = '', ...rest] = r.stderr.split('\n');
  assert.ok(message.startsWith('swrole: cannot '), `message (${r.how}): ${r.stderr}`);
  assert.ok(message.includes(path), `the message names ${path} (${r.how}): ${message}`);
  assert.match(message, ERRNO[fault], `the message says what happened (${r.how}): ${message}`);
  const hintLine = rest.find((l) => l.startsWith('  hint: ')) ?? '';
  assert.match(hintLine, REMEDY[fault], `hint (${r.how}): ${r.stderr}`);
  if (hint) assert.match(hintLine, hint, `hint (${r.how}): ${r.stderr}`);
  assert.ok(rest.includes(`  code: ${code}`), `code ${code} (${r.how}): ${r.stderr}`);
}

/** Runs one fault; skipped only where no mechanism can exist (not root, no user namespaces), any other gap fails. */
async function inject(t: TestContext, fault: Fault, target: string, w: World, args: string[], env = w.env): Promise<FaultRun | undefined> {
  const unavailable = faultUnavailable(fault);
  if (unavailable?.skip) {
    t.skip(unavailable.reason);
    return undefined;
  }
  return runWithFault(fault, target, w.box.dir, args, env);
}

const ALL: Fault[] = ['ENOTDIR', 'EACCES', 'EROFS', 'ENOSPC'];

describe('degrading write sites: the command still succeeds', () => {
  for (const fault of ALL) {
    it(`session cache, hit memo and audit log: state dir ${fault} → credentials, one "not cached" warning, exit 0`, async (t) => {
      const w = world();
      try {
        const before = emu.counts().AssumeRole ?? 0;
        const r = await inject(t, fault, w.box.stateDir, w, ['process', 'nomfa']);
        if (!r) return;
        noBug(r, r.how);
        assert.equal(r.code, 0, `${r.how}: ${r.stderr}`);
        assert.match((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);
        assert.equal(emu.counts().AssumeRole, before + 1, 'the credentials came from STS');
        const lines = r.stderr.split('\n').filter(Boolean);
        assert.equal(lines.length, 1, `exactly one warning (${r.how}): ${r.stderr}`);
        assert.ok(
          lines[0]!.startsWith(`swrole: warning: cannot write the session cache in ${join(w.box.stateDir, 'sessions')} (`),
          lines[0],
        );
        assert.match(lines[0]!, ERRNO[fault]);
        assert.match(lines[0]!, /credentials are used but not cached. Set SWROLE_HOME to a writable directory/);
      } finally {
        w.box.cleanup();
      }
    });
  }

  it('control: a healthy answer writes the session, the hit memo and an audit line', async () => {
    const w = world();
    try {
      await healthy(w, ['process', 'nomfa']);
      assert.equal(readdirSync(join(w.box.stateDir, 'sessions')).filter((n) => n.endsWith('.json')).length, 1);
      assert.equal(readdirSync(join(w.box.stateDir, 'memo')).length, 1);
      assert.equal(readFileSync(join(w.box.stateDir, 'audit.log'), 'utf8').split('\n').filter(Boolean).length, 1);
    } finally {
      w.box.cleanup();
    }
  });

  for (const fault of ALL) {
    it(`hit memo alone: memo dir ${fault} → answered and cached, silently`, async (t) => {
      const w = world();
      try {
        const memo = join(w.box.stateDir, 'memo');
        mkdirSync(memo, { recursive: true, mode: 0o700 });
        const r = await inject(t, fault, memo, w, ['process', 'nomfa']);
        if (!r) return;
        noBug(r, r.how);
        assert.equal(r.code, 0, `${r.how}: ${r.stderr}`);
        assert.equal(r.stderr, '', r.how);
        assert.match((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);
        assert.equal(readdirSync(join(w.box.stateDir, 'sessions')).filter((n) => n.endsWith('.json')).length, 1, 'the session is cached');
      } finally {
        w.box.cleanup();
      }
    });
  }

  for (const fault of ['EISDIR', 'EACCES'] as const) {
    it(`audit log alone: audit.log ${fault} → answered, silently (the log never fails a request)`, async (t) => {
      const w = world();
      try {
        const log = join(w.box.stateDir, 'audit.log');
        mkdirSync(w.box.stateDir, { recursive: true, mode: 0o700 });
        writeFileSync(log, '', { mode: 0o600 });
        const r = await inject(t, fault, log, w, ['process', 'nomfa']);
        if (!r) return;
        noBug(r, r.how);
        assert.equal(r.code, 0, `${r.how}: ${r.stderr}`);
        assert.equal(r.stderr, '', r.how);
        assert.match((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);
      } finally {
        w.box.cleanup();
      }
    });
  }

  for (const fault of ALL) {
    it(`SessionStart hook: CLAUDE_ENV_FILE's dir ${fault} → the path and a hint on stderr, exit 0 (never fails a session)`, async (t) => {
      const w = world();
      try {
        await healthy(w, ['agent', 'claude', 'nomfa', '--mode', 'env-file', '--dir', w.project]);
        const dir = join(w.box.dir, 'claude-env');
        mkdirSync(dir);
        // A new file: on a full disk, appending into the last block of an existing one may still fit.
        const envFile = join(dir, 'env');
        const env = { ...w.env, CLAUDE_ENV_FILE: envFile, CLAUDE_PROJECT_DIR: w.project };
        const r = await inject(t, fault, dir, w, ['agent', 'session-hook'], env);
        if (!r) return;
        noBug(r, r.how);
        assert.equal(r.code, 0, `${r.how}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        const [message = '', hint = ''] = r.stderr.split('\n');
        assert.ok(message.startsWith(`swrole: agent session-hook: cannot append the agent view variables to ${envFile}: `), message);
        assert.match(message, ERRNO[fault]);
        assert.match(hint, REMEDY[fault]);
        assert.match(hint, /this session runs without them/);
      } finally {
        w.box.cleanup();
      }
    });
  }
});

describe('state dir write sites: E_STATE_DIR, exit 5', () => {
  for (const fault of ALL) {
    it(`agent view (agent env): state dir ${fault}`, async (t) => {
      const w = world();
      try {
        const r = await inject(t, fault, w.box.stateDir, w, ['agent', 'env', 'nomfa', '--debug']);
        if (!r) return;
        // The grant's test issuance comes first and degrades (credentials uncached, one warning); then the view
        // itself cannot be written: that is the error.
        const [warning = '', ...rest] = r.stderr.split('\n');
        assert.match(warning, /^swrole: warning: cannot write the session cache in \S+\/sessions \(/, `${r.how}: ${r.stderr}`);
        assertFileError({ ...r, stderr: rest.join('\n') }, fault, 'E_STATE_DIR', join(w.box.stateDir, 'agents', 'env-'), /SWROLE_HOME/);
      } finally {
        w.box.cleanup();
      }
    });
  }

  it('agent view file env.sh (agent claude --mode env-file): env.sh EISDIR', async (t) => {
    const w = world();
    try {
      const envSh = join(w.box.stateDir, 'agents', projectKey(w.project), 'env.sh');
      const r = await inject(t, 'EISDIR', envSh, w, ['agent', 'claude', 'nomfa', '--mode', 'env-file', '--dir', w.project, '--debug']);
      if (!r) return;
      assertFileError(r, 'EISDIR', 'E_STATE_DIR', envSh);
    } finally {
      w.box.cleanup();
    }
  });

  const original = '{\n  "model": "opus"\n}\n';
  for (const fault of [...ALL, 'EISDIR'] as const) {
    const what = fault === 'EISDIR' ? 'the backup of the settings file EISDIR' : `claude-settings/ ${fault}`;
    it(`Claude settings records and backups (agent claude): ${what}; the settings file is untouched`, async (t) => {
      const w = world();
      try {
        const settings = join(w.project, '.claude', 'settings.local.json');
        mkdirSync(join(w.project, '.claude'));
        writeFileSync(settings, original);
        const records = join(w.box.stateDir, 'claude-settings');
        mkdirSync(records, { recursive: true, mode: 0o700 });
        const target = fault === 'EISDIR' ? join(records, `${projectKey(w.project)}.backup`) : records;
        const r = await inject(t, fault, target, w, ['agent', 'claude', 'nomfa', '--dir', w.project, '--debug']);
        if (!r) return;
        assertFileError(r, fault, 'E_STATE_DIR', target, fault === 'EISDIR' ? undefined : /SWROLE_HOME/);
        assert.equal(readFileSync(settings, 'utf8'), original);
      } finally {
        w.box.cleanup();
      }
    });
  }

  for (const fault of ALL) {
    it(`logout --all (removing cached sessions): sessions/ ${fault}`, async (t) => {
      const w = world();
      try {
        await healthy(w, ['process', 'nomfa']);
        const sessions = join(w.box.stateDir, 'sessions');
        const r = await inject(t, fault, sessions, w, ['logout', '--all', '--debug']);
        if (!r) return;
        if (fault === 'ENOTDIR' || fault === 'ENOSPC') {
          // Nothing to remove under a plain file; removing needs no space.
          noBug(r, r.how);
          assert.equal(r.code, 0, `${r.how}: ${r.stderr}`);
          assert.match(r.stderr, fault === 'ENOTDIR' ? /removed 0 cached session/ : /removed 1 cached session/);
          return;
        }
        assertFileError(r, fault, 'E_STATE_DIR', sessions);
      } finally {
        w.box.cleanup();
      }
    });
  }

  for (const fault of ['EACCES', 'EROFS'] as const) {
    it(`logout PROFILE of an IAM Identity Center profile (removing its token file): ~/.aws/sso/cache ${fault}`, async (t) => {
      const w = world();
      try {
        writeFileSync(w.box.configFile, `${readFileSync(w.box.configFile, 'utf8')}\n${ssoConfig()}`);
        // Expired: logout tells the portal nothing, so only the file's removal is at stake.
        const signIn = {
          accessToken: 'aoa-expired',
          expiresIn: 0,
          clientId: 'cid',
          clientSecret: 'cs',
          clientSecretExpiresAt: 4_102_444_800,
        };
        const token = writeTokenFile(w.box.home, signIn, { expiresInMs: -3_600_000 });
        // EACCES makes the directory root's: the token readable there, as one left by `sudo aws sso login`.
        if (fault === 'EACCES') chmodSync(token, 0o644);
        const r = await inject(t, fault, ssoCacheDir(w.box.home), w, ['logout', 'dev', '--debug']);
        if (!r) return;
        assertFileError(r, fault, 'E_FILE_WRITE', token, /then run swrole logout again/);
        assert.match(r.stderr, /^swrole: cannot remove the IAM Identity Center token /);
      } finally {
        w.box.cleanup();
      }
    });
  }

  it('logout PROFILE (removing one profile’s sessions): sessions/ EROFS', async (t) => {
    const w = world();
    try {
      await healthy(w, ['process', 'nomfa']);
      const sessions = join(w.box.stateDir, 'sessions');
      const r = await inject(t, 'EROFS', sessions, w, ['logout', 'nomfa', '--debug']);
      if (!r) return;
      assertFileError(r, 'EROFS', 'E_STATE_DIR', sessions);
    } finally {
      w.box.cleanup();
    }
  });

  for (const fault of ALL) {
    it(`agent claude --remove (deleting the agent view): agents/ ${fault}`, async (t) => {
      const w = world();
      try {
        await healthy(w, ['agent', 'claude', 'nomfa', '--dir', w.project]);
        const agents = join(w.box.stateDir, 'agents');
        const r = await inject(t, fault, agents, w, ['agent', 'claude', '--remove', '--dir', w.project, '--debug']);
        if (!r) return;
        if (fault === 'ENOTDIR' || fault === 'ENOSPC') {
          noBug(r, r.how);
          assert.equal(r.code, 0, `${r.how}: ${r.stderr}`);
          return;
        }
        assertFileError(r, fault, 'E_STATE_DIR', join(agents, projectKey(w.project)));
      } finally {
        w.box.cleanup();
      }
    });
  }
});

describe("other tools' files: E_FILE_WRITE / E_FILE_READ, exit 6", () => {
  const original = '{\n  "model": "opus"\n}\n';
  for (const fault of ALL) {
    it(`.claude/settings.local.json (agent claude): .claude/ ${fault}`, async (t) => {
      const w = world();
      try {
        const claudeDir = join(w.project, '.claude');
        mkdirSync(claudeDir);
        writeFileSync(join(claudeDir, 'settings.local.json'), original);
        const r = await inject(t, fault, claudeDir, w, ['agent', 'claude', 'nomfa', '--dir', w.project, '--debug']);
        if (!r) return;
        assertFileError(r, fault, 'E_FILE_WRITE', claudeDir, /settings\.local\.json was not changed/);
        if (fault !== 'ENOTDIR') assert.equal(readFileSync(join(claudeDir, 'settings.local.json'), 'utf8'), original);
      } finally {
        w.box.cleanup();
      }
    });
  }

  it('.claude/settings.local.json is a directory: E_FILE_READ, exit 6', async (t) => {
    const w = world();
    try {
      const settings = join(w.project, '.claude', 'settings.local.json');
      const r = await inject(t, 'EISDIR', settings, w, ['agent', 'claude', 'nomfa', '--dir', w.project, '--debug']);
      if (!r) return;
      assertFileError(r, 'EISDIR', 'E_FILE_READ', settings, /swrole changed nothing/);
    } finally {
      w.box.cleanup();
    }
  });

  for (const fault of ALL) {
    it(`git exclude (agent claude in a git repository): .git/info/ ${fault}`, async (t) => {
      const w = world();
      try {
        assert.equal(spawnSync('git', ['init', '-q', w.project], { stdio: 'ignore' }).status, 0, 'git init');
        const info = join(w.project, '.git', 'info');
        mkdirSync(info, { recursive: true });
        // No exclude file yet (a new block is needed on a full disk; git init's template may or may not write one).
        rmSync(join(info, 'exclude'), { force: true });
        const r = await inject(t, fault, info, w, ['agent', 'claude', 'nomfa', '--dir', w.project, '--debug']);
        if (!r) return;
        assertFileError(r, fault, 'E_FILE_WRITE', join(info, 'exclude'), /add \.claude\/settings\.local\.json to \.gitignore yourself/);
        assert.equal(existsSync(join(w.project, '.claude', 'settings.local.json')), false, 'nothing written before the file is ignored');
      } finally {
        w.box.cleanup();
      }
    });
  }

  const config = '[default]\nregion = us-east-1\n';
  for (const fault of [...ALL, 'EISDIR'] as const) {
    const what = fault === 'EISDIR' ? 'the backup path is a directory (EISDIR)' : `~/.aws ${fault}`;
    it(`setup: the AWS config and its backup: ${what}`, async (t) => {
      const w = world();
      try {
        const aws = join(w.box.home, '.aws');
        mkdirSync(aws, { recursive: true });
        const configFile = join(aws, 'config');
        writeFileSync(configFile, config);
        const env = { ...w.env, AWS_CONFIG_FILE: configFile };
        const target = fault === 'EISDIR' ? `${configFile}.swrole-backup` : aws;
        // `base` lives in the credentials file, outside the faulty directory.
        const r = await inject(t, fault, target, w, ['setup', 'base', '--debug'], env);
        if (!r) return;
        assertFileError(r, fault, 'E_FILE_WRITE', target, /config was not changed/);
        if (fault !== 'ENOTDIR') assert.equal(readFileSync(configFile, 'utf8'), config);
      } finally {
        w.box.cleanup();
      }
    });
  }
});
