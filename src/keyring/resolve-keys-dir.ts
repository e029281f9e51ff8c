import { join, win32 } from 'node:path';

/**
 * Where the encrypted key files live: `$SWROLE_HOME/keys` when SWROLE_HOME is set (everything of swrole's in one
 * place), else a data directory, not the cache (caches get cleaned; these are the only copy of a key):
 * `$XDG_DATA_HOME/swrole/keys` (absolute values only, as the XDG spec says), `~/.local/share/swrole/keys`, and
 * `%APPDATA%\swrole\keys` on Windows. PURE.
 */
export function resolveKeysDir(env: Readonly<Record<string, string | undefined>>, homedir: string, platform: NodeJS.Platform): string {
  const home = env.SWROLE_HOME;
  if (home !== undefined && home !== '') return platform === 'win32' ? win32.join(home, 'keys') : join(home, 'keys');
  if (platform === 'win32') {
    const roaming = env.APPDATA;
    return win32.join(roaming !== undefined && roaming !== '' ? roaming : win32.join(homedir, 'AppData', 'Roaming'), 'swrole', 'keys');
  }
  const xdg = env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'swrole', 'keys');
  return join(homedir, '.local', 'share', 'swrole', 'keys');
}
