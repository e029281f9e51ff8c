import { homedir, userInfo } from 'node:os';
import { closeSync, fstatSync, openSync, realpathSync, writeSync } from 'node:fs';
import type { Deps } from '../platform/deps.js';
import { detectAgent } from '../agent/detect-agent.js';

/** The OS account's name; a uid without a passwd entry (containers run as arbitrary uids) still gets a name. */
function osUserName(): string | undefined {
  try {
    const name = userInfo().username;
    if (name !== '') return name;
  } catch {
    // no passwd entry for this uid
  }
  const uid = process.getuid?.();
  return uid === undefined ? undefined : `uid-${uid}`;
}

/** The process's time zone (TZ, else the system's), for times shown to people; resolved only when a command shows one. */
function processTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Whether a human can answer a prompt: /dev/tty opens and no agent marker is set. */
function canPrompt(env: NodeJS.ProcessEnv): boolean {
  if (detectAgent(env) !== undefined) return false;
  if (env.SWROLE_NO_PROMPT) return false;
  if (process.platform === 'win32') return Boolean(process.stdin.isTTY);
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}

/** fd is a character device (a terminal, or /dev/null): a cheap first look, without loading node:tty. */
function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

/**
 * Synchronous writes straight to the file descriptor: touching process.stdout builds a stream (tty/net/pipe
 * modules), ~3 ms of the cache-hit budget. A pipe left non-blocking by the parent can answer EAGAIN: retry.
 */
function fdWriter(fd: number): (text: string) => void {
  return (text) => {
    let buffer = Buffer.from(text, 'utf8');
    for (let spins = 0; buffer.length > 0 && spins < 100_000;) {
      try {
        buffer = buffer.subarray(writeSync(fd, buffer));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') return; // the reader went away (e.g. `| head`): nothing left to tell
        if (code !== 'EAGAIN') throw error;
        spins += 1;
      }
    }
  };
}

/** `swrole login prod --mfa-code ******`: how this process was invoked, for lock records (secrets masked, bounded). */
function describeInvocation(args: readonly string[]): string {
  const shown = args.map((arg, i) => {
    if (args[i - 1] === '--mfa-code') return '******';
    if (arg.startsWith('--mfa-code=')) return '--mfa-code=******';
    const short = arg.length > 60 ? `${arg.slice(0, 57)}...` : arg;
    return /^[\w@%+=:,./-]+$/.test(short) ? short : JSON.stringify(short);
  });
  const text = ['swrole', ...shown].join(' ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** The only place that turns `process` into Deps. */
export function createProcessDeps(): Deps {
  const env = process.env;
  let interactive: boolean | undefined;
  let user: { name: string | undefined } | undefined;
  let zone: { name: string | undefined } | undefined;
  // A clock offset for end-to-end tests that advance the STS emulator's clock (never set in normal use).
  const offset = Number(env.SWROLE_NOW_OFFSET_MS ?? 0) || 0;
  return {
    env,
    now: () => Date.now() + offset,
    homedir: env.HOME || env.USERPROFILE || homedir(),
    cwd: process.cwd(),
    platform: process.platform,
    user:
      process.platform === 'win32' || !process.geteuid || !process.getegid ? undefined : { uid: process.geteuid(), gid: process.getegid() },
    pid: process.pid,
    stdout: { write: fdWriter(1) },
    stderr: { write: fdWriter(2) },
    get interactive() {
      interactive ??= canPrompt(env);
      return interactive;
    },
    get mayPick() {
      return isCharacterDevice(0) && isCharacterDevice(2) && this.interactive;
    },
    async openPickerTerminal() {
      if (!this.interactive) return undefined;
      // Loaded when a picker may open: node:tty is not on the cache-hit path.
      const { openPickerTerminal } = await import('./picker-terminal.js');
      return openPickerTerminal();
    },
    async readStdin(maxBytes, timeoutMs) {
      try {
        // Loaded when asked for: node:net and node:tty are not on the cache-hit path.
        const { openStdin, readBoundedInput } = await import('../platform/read-bounded-input.js');
        return await readBoundedInput(openStdin(), maxBytes, timeoutMs);
      } catch (error) {
        return { ok: false, reason: `cannot read stdin: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    nodePath: process.execPath,
    selfPath: realpathSync(process.argv[1] ?? '.'),
    get invocation() {
      return describeInvocation(process.argv.slice(2));
    },
    // Lazy: neither getpwuid nor ICU's zone data is on the cache-hit path.
    get osUserName() {
      user ??= { name: osUserName() };
      return user.name;
    },
    get timeZone() {
      zone ??= { name: processTimeZone() };
      return zone.name;
    },
  };
}
