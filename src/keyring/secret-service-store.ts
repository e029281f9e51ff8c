/**
 * The Secret Service (GNOME Keyring, KWallet, KeePassXC; docs/reference/sso-keyring-console.md B.1–B.2) through
 * `secret-tool` from libsecret-tools: items with attributes `service=swrole` and `username=aws:<profile>` in the
 * default (login) collection, the layout @napi-rs/keyring and keyring-rs use, so `secret-tool lookup service swrole
 * username aws:dev` finds them. The secret goes to the tool on stdin and comes back on stdout, never in argv.
 * Each call has a deadline; a missing bus, a missing daemon, a locked keyring or a missing tool is a SwroleError
 * naming the file backend as the explicit alternative (never a silent fallback). Loaded on a cache miss only.
 */
import { SwroleError } from '../errors.js';
import { describeBackend } from '../domain/keyring-backend.js';
import { KEYRING_SERVICE, itemAccount, parseKeyItem, profileOfAccount, renderKeyItem } from './key-item.js';
import type { KeyStore } from './key-store.js';
import { runSecretTool, type SecretToolOutcome } from './secret-tool.js';

export interface SecretServiceStoreOptions {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** Per secret-tool call (default 5 s). */
  timeoutMs?: number;
}

const WHERE = describeBackend('secret-service');

function fileHint(): string {
  return "or keep the keys in swrole's encrypted files instead: `swrole keys add PROFILE --keyring file` (or SWROLE_KEYRING=file)";
}

type KeyringCode = 'E_KEYRING_UNAVAILABLE' | 'E_KEYRING_LOCKED' | 'E_KEYRING_FAILED';

/** What secret-tool said (or that it could not start) → the code and hint a person can act on. */
export function translateSecretToolFailure(doing: string, outcome: SecretToolOutcome | { spawnError: NodeJS.ErrnoException }): SwroleError {
  const make = (code: KeyringCode, what: string, hint: string, detail?: string) =>
    new SwroleError(code, `${doing}: ${what}${detail ? ` (${detail})` : ''}`, { hint });
  if ('spawnError' in outcome) {
    const code = outcome.spawnError.code ?? 'error';
    return code === 'ENOENT'
      ? make(
          'E_KEYRING_UNAVAILABLE',
          'secret-tool is not installed',
          `install libsecret-tools (Debian/Ubuntu: apt install libsecret-tools), ${fileHint()}`,
        )
      : make('E_KEYRING_FAILED', `secret-tool cannot be started`, `check the secret-tool on PATH, ${fileHint()}`, code);
  }
  // Its own complaint is the `secret-tool: …` line (search adds `attribute.…` lines of the items it saw).
  const lines = outcome.stderr.trim().split('\n').filter(Boolean);
  const said = (lines.find((l) => l.startsWith('secret-tool:')) ?? lines.at(-1) ?? '').slice(0, 300);
  if (outcome.timedOut) {
    return make(
      'E_KEYRING_UNAVAILABLE',
      `${WHERE} did not answer in time`,
      `check that the keyring daemon is running and not stuck, ${fileHint()}`,
    );
  }
  if (
    /DBUS_SESSION_BUS_ADDRESS|autolaunch|address is empty|Failed to connect|Could not connect|Connection refused|No such file or directory/i.test(
      said,
    )
  ) {
    return make(
      'E_KEYRING_UNAVAILABLE',
      `${WHERE} cannot be reached: there is no D-Bus session bus`,
      `run swrole inside a desktop login session (DBUS_SESSION_BUS_ADDRESS set), ${fileHint()}`,
      said,
    );
  }
  if (/not provided by any \.service files|ServiceUnknown|NameHasNoOwner/i.test(said)) {
    return make(
      'E_KEYRING_UNAVAILABLE',
      'no Secret Service daemon (gnome-keyring, KWallet, KeePassXC) runs on the session bus',
      `install and start one (e.g. gnome-keyring), ${fileHint()}`,
      said,
    );
  }
  if (/locked|prompt|dismissed|collection\/login|Object does not exist/i.test(said)) {
    return make(
      'E_KEYRING_LOCKED',
      `${WHERE} is locked (or has no default "login" collection)`,
      `unlock your login keyring (log in to the desktop, or \`gnome-keyring-daemon --unlock\` on a headless machine), ${fileHint()}`,
      said,
    );
  }
  return make('E_KEYRING_FAILED', `${WHERE} refused`, `run again with --debug; ${fileHint()}`, said || `exit ${String(outcome.code)}`);
}

export function createSecretServiceStore(o: SecretServiceStoreOptions): KeyStore {
  const file = o.env.SWROLE_SECRET_TOOL !== undefined && o.env.SWROLE_SECRET_TOOL !== '' ? o.env.SWROLE_SECRET_TOOL : 'secret-tool';
  const timeoutMs = o.timeoutMs ?? 5000;
  const attributes = (profile: string) => ['service', KEYRING_SERVICE, 'username', itemAccount(profile)];
  const run = async (doing: string, args: string[], stdin?: string): Promise<SecretToolOutcome> => {
    try {
      return await runSecretTool({ file, args, env: o.env, timeoutMs, ...(stdin !== undefined ? { stdin } : {}) });
    } catch (error) {
      throw translateSecretToolFailure(doing, { spawnError: error as NodeJS.ErrnoException });
    }
  };
  const ok = (doing: string, outcome: SecretToolOutcome): SecretToolOutcome => {
    if (outcome.code !== 0 || outcome.timedOut) throw translateSecretToolFailure(doing, outcome);
    return outcome;
  };
  /** The item's secret, or undefined when there is none; a locked item is an error, not a missing one. */
  const lookup = async (profile: string, doing: string): Promise<string | undefined> => {
    const found = await run(doing, ['lookup', ...attributes(profile)]);
    if (found.code === 0 && !found.timedOut) return found.stdout;
    // `lookup` says nothing both for "no such item" and for "locked": `search` tells them apart.
    if (found.timedOut || found.stderr.trim() !== '') throw translateSecretToolFailure(doing, found);
    const probe = await run(doing, ['search', ...attributes(profile)]);
    if (probe.timedOut || probe.code !== 0 || /locked/i.test(probe.stderr)) throw translateSecretToolFailure(doing, probe);
    // A locked collection hides what it holds: when another of swrole's items says it is locked, this one may be
    // there too, and "locked" is the answer a person can act on (not "missing").
    const any = await run(doing, ['search', 'service', KEYRING_SERVICE]);
    if (!any.timedOut && /locked/i.test(any.stderr)) throw translateSecretToolFailure(doing, { ...any, code: 1 });
    return undefined;
  };
  const where = (profile: string) => `the Secret Service item ${KEYRING_SERVICE}/${itemAccount(profile)}`;
  return {
    backend: 'secret-service',
    description: WHERE,
    async read(profile) {
      const text = await lookup(profile, `profile "${profile}": reading its keys from ${WHERE}`);
      return text === undefined ? undefined : parseKeyItem(text, where(profile));
    },
    async write(profile, key) {
      const doing = `profile "${profile}": storing its keys in ${WHERE}`;
      ok(doing, await run(doing, ['store', `--label=swrole (${itemAccount(profile)})`, ...attributes(profile)], renderKeyItem(key)));
    },
    async remove(profile) {
      const doing = `profile "${profile}": deleting its keys from ${WHERE}`;
      if ((await lookup(profile, doing)) === undefined) return false;
      ok(doing, await run(doing, ['clear', ...attributes(profile)]));
      return true;
    },
    async list() {
      const doing = `listing swrole's items in ${WHERE}`;
      const found = ok(doing, await run(doing, ['search', '--all', 'service', KEYRING_SERVICE]));
      if (/locked/i.test(found.stderr)) throw translateSecretToolFailure(doing, { ...found, code: 1 });
      // The attributes are on stderr, one `attribute.NAME = VALUE` line each (the secrets on stdout are not read).
      const profiles = new Set<string>();
      for (const line of found.stderr.split('\n')) {
        const m = /^attribute\.username = (.*)$/.exec(line);
        const profile = m ? profileOfAccount(m[1] as string) : undefined;
        if (profile !== undefined) profiles.add(profile);
      }
      return [...profiles].sort();
    },
  };
}
