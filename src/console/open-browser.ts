import { spawn } from 'node:child_process';
import { SwroleError } from '../errors.js';
import { shlexSplit } from '../config/shlex-split.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * PURE: the command that opens `url`: SWROLE_BROWSER, else BROWSER (a command line; `%s` is replaced by the URL,
 * else the URL is its last argument), else the platform's opener. The URL is one argument, never parsed by a shell.
 */
export function browserCommand(url: string, env: Env, platform: NodeJS.Platform): { file: string; args: string[]; from: string } {
  for (const name of ['SWROLE_BROWSER', 'BROWSER']) {
    const value = env[name]?.trim();
    if (!value) continue;
    const words = shlexSplit(value);
    if (words === undefined || words.length === 0) {
      throw new SwroleError('E_CONSOLE_BROWSER', `${name} is not a command line: ${value}`, { hint: `fix ${name}, or pass --print` });
    }
    const [file, ...rest] = words as [string, ...string[]];
    const args = rest.some((w) => w.includes('%s')) ? rest.map((w) => w.replaceAll('%s', url)) : [...rest, url];
    return { file, args, from: name };
  }
  if (platform === 'darwin') return { file: 'open', args: [url], from: 'open' };
  // rundll32 takes the URL as one argument; `cmd /c start` would re-parse the & in it.
  if (platform === 'win32') return { file: 'rundll32', args: ['url.dll,FileProtocolHandler', url], from: 'rundll32' };
  return { file: 'xdg-open', args: [url], from: 'xdg-open' };
}

/** Starts the browser (detached: some openers live as long as the browser) and returns once it has started. */
export function openBrowser(url: string, env: Env, platform: NodeJS.Platform): Promise<string> {
  const { file, args, from } = browserCommand(url, env, platform);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { detached: true, stdio: 'ignore', env: { ...env }, shell: false });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SwroleError('E_CONSOLE_BROWSER', `cannot start the browser (${from}: ${file}: ${error.code ?? error.message})`, {
          hint: 'set SWROLE_BROWSER or BROWSER to your browser command, or pass --print and open the URL yourself',
          cause: error,
        }),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve(from);
    });
  });
}
