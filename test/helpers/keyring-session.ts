// A private Secret Service for keyring tests (docs/reference/sso-keyring-console.md B.2): a D-Bus session of its
// own (dbus-run-session) with gnome-keyring-daemon in it, unlocked with a test password (or left locked), in a temp
// HOME. Nothing of the user's desktop session takes part. `secret-tool` is the independent oracle.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOOLS: Array<[string, string]> = [
  ['dbus-run-session', 'dbus'],
  ['gnome-keyring-daemon', 'gnome-keyring'],
  ['secret-tool', 'libsecret-tools'],
];

/**
 * Why keyring tests cannot run here, or false. Under CI a missing tool fails loudly (.ci/run installs them);
 * on a developer machine the tests skip with this visible reason.
 */
export function keyringSkipReason(): string | false {
  const missing = TOOLS.filter(([tool]) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0).map(([, pkg]) => pkg);
  if (missing.length === 0) return false;
  const reason = `keyring tests need ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(`${reason}: required in CI`);
  return reason;
}

export const KEYRING_PASSWORD = 'swrole-test-keyring-password';

export interface KeyringSession {
  home: string;
  /** HOME and DBUS_SESSION_BUS_ADDRESS for every process of the test (and nothing of the outer session). */
  env: Record<string, string>;
  /** `secret-tool ARGS` in this session: the oracle. */
  secretTool(args: string[], input?: string): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/**
 * Starts the session. `unlocked`: `gnome-keyring-daemon --unlock` creates and unlocks the login keyring.
 * `locked`: the login keyring exists, holding the item swrole/aws:seed (made by an unlocked run with the same HOME), but this daemon was started
 * without the password. `no-daemon`: a session bus of its own configuration, with no service directories, so no
 * Secret Service daemon runs or can be activated on it. `home` reuses a HOME (and its keyrings).
 */
export async function startKeyringSession(mode: 'unlocked' | 'locked' | 'no-daemon' = 'unlocked', home?: string): Promise<KeyringSession> {
  const dir = home ?? mkdtempSync(join(tmpdir(), 'swrole-keyring-'));
  if (mode === 'locked') {
    // The keyring must exist first, made and unlocked once, then a fresh daemon leaves it locked.
    const first = await startKeyringSession('unlocked', dir);
    try {
      // Under load the new daemon may still be creating and unlocking the login keyring: retried while it says
      // the collection is locked (a bounded wait).
      const storeSeed = () => first.secretTool(['store', '--label=seed', 'service', 'swrole', 'username', 'aws:seed'], 'seed');
      let seeded = storeSeed();
      for (let i = 0; seeded.status !== 0 && /locked/i.test(seeded.stderr) && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seeded = storeSeed();
      }
      if (seeded.status !== 0) throw new Error(`the locked keyring's seed item was not stored: ${seeded.stderr}`);
    } finally {
      // Never left running on a failure: its `sleep 600` would hold the test file open until the runner's timeout.
      await first.stop();
    }
  }
  const start =
    mode === 'unlocked'
      ? `eval "$(printf %s "$KR_PASS" | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null`
      : mode === 'locked'
        ? 'eval "$(gnome-keyring-daemon --start --components=secrets)" >/dev/null'
        : 'true';
  const busConfig = join(dir, 'session-bus.conf');
  if (mode === 'no-daemon') {
    writeFileSync(
      busConfig,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${tmpdir()}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n`,
    );
  }
  const child: ChildProcess = spawn(
    'dbus-run-session',
    [
      ...(mode === 'no-daemon' ? [`--config-file=${busConfig}`] : []),
      '--',
      'sh',
      '-c',
      `${start}; echo "BUS=$DBUS_SESSION_BUS_ADDRESS"; exec sleep 600`,
    ],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KR_PASS: KEYRING_PASSWORD },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the test D-Bus session did not start within 15 s')), 15_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /BUS=(\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`dbus-run-session exited (${code}) before the bus was up`)));
  }).catch((error: unknown) => {
    killGroup(child);
    throw error;
  });
  const env = { HOME: dir, DBUS_SESSION_BUS_ADDRESS: address };
  const session: KeyringSession = {
    home: dir,
    env,
    secretTool(args, input) {
      const r = spawnSync('secret-tool', args, {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
        input: input ?? '',
        encoding: 'utf8',
        timeout: 10_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    async stop() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.on('exit', () => resolve());
      });
      killGroup(child);
      await exited;
      // gnome-keyring-daemon leaves when its bus goes away; give it a moment before HOME is removed.
      if (home === undefined) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  // The precondition the locked tests rest on: this daemon sees the seed item, as locked (under load it may still be
  // loading the keyring file when the first search comes).
  for (let i = 0; mode === 'locked'; i++) {
    const seen = session.secretTool(['search', 'service', 'swrole', 'username', 'aws:seed']);
    if (/locked/i.test(seen.stderr)) break;
    if (i >= 100) {
      await session.stop();
      throw new Error(`the locked keyring never showed its seed item as locked: ${seen.stdout}${seen.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return session;
}

/** SIGTERM to the session's process group (dbus-run-session, the bus, the daemon, the sleep). */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}
