// What `swrole agent claude` refuses because Claude Code would not use the grant as meant (issue 9 §3, §4): the
// subprocess scrub, Bedrock without credentials of its own, and a user's own awsCredentialExport. Each refusal is
// provoked through the real settings layers Claude Code reads, and leaves nothing written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { runSwrole, writeUserAwsFiles, sampleConfigWithStsEndpoint } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let dir: string;
let home: string;

const clock = () => ({ SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
// profile nomfa reaches the emulator through AWS_ENDPOINT_URL_STS (profile a through its [services] endpoint).
const baseEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_ENDPOINT_URL_STS: emu.url,
  ...clock(),
  ...extra,
});
const swrole = (args: string[], extra: Record<string, string> = {}, cwd?: string) =>
  runSwrole([...args, '--debug'], baseEnv(extra), cwd === undefined ? {} : { cwd });
const userSettings = () => join(home, '.claude', 'settings.json');
const viewsDir = () => join(home, '.cache', 'swrole', 'agents');
const views = () => (existsSync(viewsDir()) ? readdirSync(viewsDir()).sort() : []);

function project(name: string, settings?: unknown): string {
  const p = join(dir, name);
  mkdirSync(join(p, '.claude'), { recursive: true });
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: p }).status, 0);
  if (settings !== undefined) writeFileSync(join(p, '.claude', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return p;
}

/** Nothing of swrole's: no settings.local.json, no agent view besides those there `before`. */
function assertNothingWritten(p: string, before: string[]): void {
  assert.ok(!existsSync(join(p, '.claude', 'settings.local.json')), 'no settings.local.json written');
  assert.deepEqual(views(), before, 'no agent view written');
}

useEmulatorSandbox(
  (fixture) => {
    emu = fixture.emu;
    ({ dir, home } = fixture.box);
    writeUserAwsFiles(home, sampleConfigWithStsEndpoint(dir, emu.url));
  },
  { clock: () => Date.now() - 5 * 60_000 },
);

describe('swrole agent claude refuses what Claude Code would not use as meant (e2e)', () => {
  it('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB in the project settings or the environment: view and keys mode refused with E_AGENT_SCRUB, exit 6, before any STS call', async () => {
    const p = project('proj-scrub', { env: { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' } });
    const before = emu.calls().length;
    const viewsBefore = views();
    const view = await swrole(['agent', 'claude', 'nomfa', '--mode', 'view', '--dir', p], {}, p);
    assert.equal(view.code, 6, view.stderr);
    assert.equal(view.stdout, '');
    assert.match(
      view.stderr,
      /CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is set \(in .*proj-scrub\/\.claude\/settings\.json\).*--mode view cannot work/,
    );
    assert.match(view.stderr, /hint: use --mode env-file/);
    assert.match(view.stderr, /code: E_AGENT_SCRUB/);

    const q = project('proj-scrub-env');
    const keys = await swrole(['agent', 'claude', 'nomfa', '--mode', 'keys', '--dir', q], { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' }, q);
    assert.equal(keys.code, 6, keys.stderr);
    assert.match(keys.stderr, /\(in the environment\).*--mode keys cannot work/);
    assert.match(keys.stderr, /code: E_AGENT_SCRUB/);
    assert.equal(emu.calls().length, before, 'refused before any STS call');
    assertNothingWritten(p, viewsBefore);
    assertNothingWritten(q, viewsBefore);

    // "0" is off for Claude Code, and so for swrole: the view is written.
    const off = await swrole(['agent', 'claude', 'nomfa', '--dir', q], { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '0' }, q);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(
      (JSON.parse(readFileSync(join(q, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> }).env.AWS_PROFILE,
      'nomfa@agent',
    );
    assert.equal((await swrole(['agent', 'claude', '--remove', '--dir', q])).code, 0);
  });

  it('CLAUDE_CODE_USE_BEDROCK in ~/.claude/settings.json: the view without --bedrock-profile and keys mode are refused with E_AGENT_BEDROCK, exit 6, nothing written', async () => {
    mkdirSync(join(home, '.claude'), { recursive: true });
    const bedrockOnly = `${JSON.stringify({ env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' } }, null, 2)}\n`;
    writeFileSync(userSettings(), bedrockOnly);
    try {
      const p = project('proj-bedrock');
      const before = emu.calls().length;
      const viewsBefore = views();
      const view = await swrole(['agent', 'claude', 'nomfa', '--read-only', '--dir', p], {}, p);
      assert.equal(view.code, 6, view.stderr);
      assert.match(view.stderr, /CLAUDE_CODE_USE_BEDROCK in .*\.claude\/settings\.json.*sign model calls as the agent role/);
      assert.match(view.stderr, /hint: add --bedrock-profile PROFILE/);
      assert.match(view.stderr, /code: E_AGENT_BEDROCK/);
      const keys = await swrole(['agent', 'claude', 'nomfa', '--mode', 'keys', '--dir', p], {}, p);
      assert.equal(keys.code, 6, keys.stderr);
      assert.match(keys.stderr, /keys in settings "env" would also sign its model calls/);
      assert.match(keys.stderr, /code: E_AGENT_BEDROCK/);
      assert.equal(emu.calls().length, before, 'refused before any STS call');
      assertNothingWritten(p, viewsBefore);
      assert.equal(readFileSync(userSettings(), 'utf8'), bedrockOnly, 'the user settings are untouched');
    } finally {
      rmSync(userSettings());
    }
  });

  it("Bedrock with the user's own awsCredentialExport: --bedrock-profile does not replace it (E_SETTINGS_MEMBER, exit 6, nothing written); without the flag the view is granted", async () => {
    const own = `${JSON.stringify({ env: { CLAUDE_CODE_USE_BEDROCK: '1' }, awsCredentialExport: 'my-own-exporter --profile bedrock' }, null, 2)}\n`;
    writeFileSync(userSettings(), own);
    try {
      const p = project('proj-own-export');
      const viewsBefore = views();
      const r = await swrole(['agent', 'claude', 'nomfa', '--read-only', '--bedrock-profile', 'nomfa', '--dir', p], {}, p);
      assert.equal(r.code, 6, r.stderr);
      assert.match(r.stderr, /settings\.json: already has an awsCredentialExport of its own; swrole does not replace it/);
      assert.match(r.stderr, /code: E_SETTINGS_MEMBER/);
      assertNothingWritten(p, viewsBefore);
      assert.equal(readFileSync(userSettings(), 'utf8'), own, 'the user settings keep their bytes');

      // Their exporter already gives Bedrock its own credentials: the view is safe without the flag.
      const ok = await swrole(['agent', 'claude', 'nomfa', '--read-only', '--dir', p], {}, p);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(readFileSync(userSettings(), 'utf8'), own);
      assert.equal((await swrole(['agent', 'claude', '--remove', '--dir', p])).code, 0);
      assert.equal(readFileSync(userSettings(), 'utf8'), own, "--remove leaves what was never swrole's");
    } finally {
      rmSync(userSettings());
    }
  });
});

describe("swrole agent claude --contain refuses where Claude Code's sandbox cannot start (e2e, issue 14)", () => {
  it('no bubblewrap or socat on PATH: E_AGENT_SANDBOX, exit 6, naming the packages; nothing issued or written', async () => {
    const p = project('proj-contain-missing');
    const before = emu.calls().length;
    const viewsBefore = views();
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    const r = await swrole(['agent', 'claude', 'nomfa', '--contain', '--dir', p], { PATH: empty }, p);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /needs bubblewrap \(bwrap\) and socat on PATH/);
    assert.match(r.stderr, /hint: install them \(Debian\/Ubuntu: sudo apt-get install bubblewrap socat/);
    assert.match(r.stderr, /code: E_AGENT_SANDBOX/);
    assert.equal(emu.calls().length, before, 'refused before any STS call');
    assertNothingWritten(p, viewsBefore);
  });

  it('a bwrap that cannot create namespaces (user namespaces off): E_AGENT_SANDBOX with the sysctl fix, never the guardrail instead', async () => {
    const p = project('proj-contain-userns');
    const viewsBefore = views();
    const bin = join(dir, 'no-userns-bin');
    mkdirSync(bin, { recursive: true });
    // What bwrap prints where unprivileged user namespaces are off.
    writeFileSync(join(bin, 'bwrap'), '#!/bin/sh\necho "bwrap: No permissions to create a new namespace" >&2\nexit 1\n', { mode: 0o755 });
    writeFileSync(join(bin, 'socat'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const r = await swrole(['agent', 'claude', 'nomfa', '--contain', '--dir', p], { PATH: `${bin}:/usr/bin:/bin` }, p);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /bubblewrap cannot create a sandbox here .*No permissions to create a new namespace/);
    assert.match(r.stderr, /hint: allow unprivileged user namespaces \(sysctl kernel\.unprivileged_userns_clone=1/);
    assert.match(r.stderr, /code: E_AGENT_SANDBOX/);
    assertNothingWritten(p, viewsBefore);
  });

  it("--contain writes the sandbox block, the PreToolUse hook and the session file; --remove gives the settings back byte for byte; a sandbox of the user's is never replaced", async () => {
    const p = project('proj-contain-undo');
    const file = join(p, '.claude', 'settings.local.json');
    const original = '{\n\t"permissions": { "allow": ["Bash(ls:*)"] }\n}\n';
    writeFileSync(file, original);
    const r = await swrole(
      ['agent', 'claude', 'nomfa', '--read-only', '--contain', '--allow-domain', 'sts.us-east-1.amazonaws.com', '--dir', p],
      {},
      p,
    );
    assert.equal(r.code, 0, r.stderr);
    const settings = JSON.parse(readFileSync(file, 'utf8')) as {
      sandbox: {
        enabled: boolean;
        failIfUnavailable: boolean;
        allowUnsandboxedCommands: boolean;
        filesystem: { denyRead: string[]; allowRead: string[]; denyWrite: string[] };
        network: { allowedDomains: string[] };
      };
      hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>>;
    };
    const { sandbox } = settings;
    assert.equal(sandbox.enabled, true);
    assert.equal(sandbox.failIfUnavailable, true);
    assert.equal(sandbox.allowUnsandboxedCommands, false);
    for (const denied of [
      join(home, '.aws'),
      join(home, '.local', 'state', 'swrole'),
      join(home, '.cache', 'swrole'),
      join(home, '.claude'),
    ])
      assert.ok(sandbox.filesystem.denyRead.includes(denied), `${denied} in ${sandbox.filesystem.denyRead.join(', ')}`);
    assert.ok(sandbox.filesystem.denyWrite.includes('.claude/settings.local.json'));
    assert.deepEqual(sandbox.network.allowedDomains, ['sts.us-east-1.amazonaws.com']);
    assert.match(settings.hooks.PreToolUse![0]!.hooks[0]!.command, /agent session-hook$/);
    // Claude Code's own Read/Edit tools run outside the sandbox: deny rules bind them (`//` = an absolute path).
    const deny = (settings as unknown as { permissions: { allow: string[]; deny: string[] } }).permissions;
    assert.deepEqual(deny.allow, ['Bash(ls:*)'], "the user's own permissions are kept");
    assert.ok(deny.deny.includes(`Read(/${join(home, '.aws')}/**)`), deny.deny.join(', '));
    assert.ok(deny.deny.includes(`Read(/${join(home, '.local', 'state', 'swrole')}/**)`), deny.deny.join(', '));
    assert.ok(deny.deny.includes(`Edit(/${join(p, '.claude')}/**)`), deny.deny.join(', '));
    assert.equal(settings.hooks.PreToolUse![0]!.matcher, 'Bash');
    const viewDir = sandbox.filesystem.allowRead[0]!;
    const session = JSON.parse(readFileSync(join(viewDir, 'session-0.json'), 'utf8')) as { AccessKeyId: string; Version: number };
    assert.equal(session.Version, 1);
    assert.match(session.AccessKeyId, /^ASIA/);
    assert.match(readFileSync(join(viewDir, 'config'), 'utf8'), /^credential_process = \/(usr\/)?bin\/cat \S+\/session-0\.json$/m);
    assert.doesNotMatch(readFileSync(join(viewDir, 'config'), 'utf8'), /swrole\.js/);
    // The model is told the session is contained; the statusLine says so; a hook run rewrites a lost session file.
    rmSync(join(viewDir, 'session-0.json'));
    const hook = await runSwrole(['agent', 'session-hook'], baseEnv({ CLAUDE_PROJECT_DIR: p }), {
      input: '{"hook_event_name":"SessionStart"}',
    });
    assert.equal(hook.code, 0, hook.stderr);
    assert.match(hook.stdout, /This session is contained: Bash runs in Claude Code's sandbox/);
    assert.ok(existsSync(join(viewDir, 'session-0.json')), 'the SessionStart hook wrote the scoped session');
    const status = await runSwrole(['agent', 'statusline'], baseEnv({ CLAUDE_PROJECT_DIR: p }), { input: '{}' });
    assert.match(status.stdout, /^aws: nomfa ro contained · /);
    const undo = await swrole(['agent', 'claude', '--remove', '--dir', p], {}, p);
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stderr, /sandbox/);
    assert.equal(readFileSync(file, 'utf8'), original, 'byte for byte');
    assert.equal(existsSync(viewDir), false, 'the view and its session files are gone');

    writeFileSync(file, '{ "sandbox": { "enabled": true } }\n');
    const mine = await swrole(['agent', 'claude', 'nomfa', '--contain', '--dir', p], {}, p);
    assert.equal(mine.code, 6, mine.stderr);
    assert.match(mine.stderr, /already has a sandbox block of its own/);
    assert.match(mine.stderr, /code: E_SETTINGS_MEMBER/);
    assert.equal(readFileSync(file, 'utf8'), '{ "sandbox": { "enabled": true } }\n');
  });

  it('--contain with --mode keys or env-file is a usage error; --allow-domain without --contain too', async () => {
    const p = project('proj-contain-mode');
    const keys = await swrole(['agent', 'claude', 'nomfa', '--contain', '--mode', 'keys', '--dir', p], {}, p);
    assert.equal(keys.code, 2, keys.stderr);
    assert.match(keys.stderr, /--contain works in view mode only/);
    const domain = await swrole(['agent', 'claude', 'nomfa', '--allow-domain', 'example.com', '--dir', p], {}, p);
    assert.equal(domain.code, 2, domain.stderr);
    assert.match(domain.stderr, /--allow-domain goes with --contain/);
  });
});

describe('a grant whose MFA session is not there yet (e2e)', () => {
  it('agent claude and agent env grant it, make no prompt and no STS call for it, and say the first use needs `swrole login P`', async () => {
    const p = project('proj-no-session');
    const before = emu.calls().length;
    const claude = await swrole(['agent', 'claude', 'a', '--read-only', '--dir', p], {}, p);
    assert.equal(claude.code, 0, claude.stderr);
    const line = /^swrole: {3}a: no MFA session yet — the agent's first AWS call fails until you run `swrole login a` in your terminal$/m;
    assert.match(claude.stderr, line);
    assert.ok(existsSync(join(p, '.claude', 'settings.local.json')), 'the grant is written');
    const env = await swrole(['agent', 'env', 'a', '--agent', 'codex']);
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stderr, line);
    assert.match(env.stdout, /^export AWS_PROFILE='?a@agent'?$/m);
    assert.equal(emu.calls().length, before, 'no STS call without the MFA session');
    assert.equal((await swrole(['agent', 'claude', '--remove', '--dir', p])).code, 0);
  });
});
