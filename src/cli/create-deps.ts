import { homedir } from 'node:os';
import { closeSync, openSync, realpathSync } from 'node:fs';
import type { Deps } from '../platform/deps.js';
import { detectAgent } from '../platform/agent-detect.js';

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

/** The only place that turns `process` into Deps. */
export function createProcessDeps(): Deps {
  const env = process.env;
  let interactive: boolean | undefined;
  // A clock offset for end-to-end tests that advance the STS emulator's clock (never set in normal use).
  const offset = Number(env.SWROLE_NOW_OFFSET_MS ?? 0) || 0;
  return {
    env,
    now: () => Date.now() + offset,
    homedir: env.HOME || env.USERPROFILE || homedir(),
    cwd: process.cwd(),
    platform: process.platform,
    pid: process.pid,
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void process.stderr.write(text) },
    get interactive() {
      interactive ??= canPrompt(env);
      return interactive;
    },
    nodePath: process.execPath,
    selfPath: realpathSync(process.argv[1] ?? '.'),
  };
}
