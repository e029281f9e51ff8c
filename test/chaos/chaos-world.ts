// The world of the kill -9 campaign (issue 15): a temp HOME with the user's ~/.aws files, a git project with
// the user's own .claude/settings.local.json, swrole's dirs left to their defaults under the temp XDG dirs (no
// SWROLE_HOME: where swrole puts its state is swrole's business, the campaign finds it by walking), and the STS
// emulator in a process of its own, which stands in for a remote STS and is never slowed by the kills.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../../demo/emulator-process.js';
import { MFA_SERIAL, sampleWorld } from '../helpers/emulator-world.js';
import { sampleConfig, sampleCredentials } from '../helpers/swrole-run.js';

/** A user file as it was before the campaign: its exact bytes and mode. */
export interface Original {
  path: string;
  bytes: Buffer;
  mode: number;
}

export interface ChaosWorld {
  root: string;
  home: string;
  project: string;
  /** The user's files swrole may edit or must not touch: ~/.aws/config, ~/.aws/credentials, settings, git exclude. */
  config: Original;
  credentials: Original;
  settings: Original;
  exclude: Original;
  /** Where nothing but swrole writes: walked for torn files, modes and leftovers (the XDG dirs, ~/.cache, ~/.local). */
  stateRoots: string[];
  emu: EmulatorProcess;
  /** swrole's environment, on the emulator's clock as of the last sync. */
  env(): Record<string, string>;
  /** Moves the emulator's clock on (and swrole's with it). */
  advance(seconds: number): Promise<void>;
  /** A one-time MFA code nobody used: the clock moves on one TOTP step first. */
  freshMfaCode(): Promise<string>;
  emulatorNow(): Promise<number>;
  close(): void;
}

/**
 * The user's config as people keep it: comments, odd spacing, a quoted name with a space, a section setup will
 * never touch after the last one; the sample profiles (test/helpers) in the middle. Ends with a newline.
 */
function userConfig(dir: string): string {
  return (
    `# my AWS config: hand-edited, keep the comments\n;  and this one\n\n` +
    sampleConfig(dir) +
    `\n[profile "Access CustomerA"]   # a quoted name\nrole_arn=arn:aws:iam::222222222222:role/RoleReadOnly\n` +
    `source_profile = base\n  mfa_serial = ${MFA_SERIAL}\nregion   =   eu-west-1\n\n# trailing comment\n`
  );
}

/** The project's own local settings (the user's permissions and env), as Claude Code writes them: 2-space JSON. */
const USER_SETTINGS = `{
  "permissions": {
    "allow": ["Bash(npm run test:*)", "Bash(git status)"],
    "deny": []
  },
  "env": {
    "AWS_PROFILE": "my-own-profile",
    "NODE_OPTIONS": "--max-old-space-size=4096"
  },
  "model": "opus"
}
`;

function git(cwd: string, args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.name=chaos', '-c', 'user.email=chaos@example.invalid', ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`);
}

function original(path: string): Original {
  return { path, bytes: readFileSync(path), mode: statSync(path).mode & 0o777 };
}

async function control(url: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`emulator control ${path}: HTTP ${response.status}`);
  return response.json();
}

export async function createChaosWorld(): Promise<ChaosWorld> {
  const root = mkdtempSync(join(tmpdir(), 'swrole-chaos-'));
  const home = join(root, 'home');
  const xdg = (name: string) => join(root, 'xdg', name);
  for (const dir of [home, xdg('cache'), xdg('state'), xdg('config'), xdg('data')]) mkdirSync(dir, { recursive: true, mode: 0o700 });

  const aws = join(home, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  const configFile = join(aws, 'config');
  writeFileSync(configFile, userConfig(root));
  chmodSync(configFile, 0o644);
  const credentialsFile = join(aws, 'credentials');
  writeFileSync(credentialsFile, sampleCredentials(), { mode: 0o600 });

  const project = join(root, 'project');
  mkdirSync(join(project, '.claude'), { recursive: true });
  git(project, ['init', '-q']);
  writeFileSync(join(project, 'README.md'), '# a project an agent works in\n');
  git(project, ['add', 'README.md']);
  git(project, ['commit', '-q', '-m', 'init']);
  const settingsFile = join(project, '.claude', 'settings.local.json');
  writeFileSync(settingsFile, USER_SETTINGS);
  chmodSync(settingsFile, 0o644);

  const worldFile = join(root, 'world.json');
  writeFileSync(worldFile, JSON.stringify(sampleWorld()));
  const emu = await startEmulatorProcess(worldFile);
  let offsetMs = 0;
  const sync = async (now?: number) => {
    offsetMs = Math.round((now ?? (await emu.now())) - Date.now());
  };
  await sync();

  const env = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: xdg('cache'),
    XDG_STATE_HOME: xdg('state'),
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    AWS_ENDPOINT_URL_STS: emu.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    // git run by swrole must not read the machine's or the engineer's git config.
    GIT_CONFIG_NOSYSTEM: '1',
    SWROLE_NOW_OFFSET_MS: String(offsetMs),
  });

  return {
    root,
    home,
    project,
    config: original(configFile),
    credentials: original(credentialsFile),
    settings: original(settingsFile),
    exclude: original(join(project, '.git', 'info', 'exclude')),
    stateRoots: [join(root, 'xdg'), join(home, '.cache'), join(home, '.local'), join(home, '.config')],
    emu,
    env,
    advance: async (seconds) => sync(((await control(emu.url, 'clock', { advanceSeconds: seconds })) as { now: number }).now),
    freshMfaCode: async () => {
      await sync(((await control(emu.url, 'clock', { advanceSeconds: 30 })) as { now: number }).now);
      return ((await control(emu.url, `totp?serial=${encodeURIComponent(MFA_SERIAL)}`)) as { code: string }).code;
    },
    emulatorNow: () => emu.now(),
    close: () => {
      emu.close();
      // CHAOS_KEEP=1 keeps the world for a post-mortem.
      if (process.env.CHAOS_KEEP) process.stderr.write(`chaos: kept the world in ${root}\n`);
      else rmSync(root, { recursive: true, force: true });
    },
  };
}
