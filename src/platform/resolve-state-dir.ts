import { join, win32 } from 'node:path';

/**
 * Where swrole keeps its own state (DESIGN.md Configuration): `$SWROLE_HOME`, else the platform cache dir —
 * `$XDG_CACHE_HOME/swrole` (XDG Base Directory spec: only an absolute value counts), `~/.cache/swrole`,
 * and `%LOCALAPPDATA%\swrole` on Windows.
 */
export function resolveStateDir(env: Readonly<Record<string, string | undefined>>, homedir: string, platform: NodeJS.Platform): string {
  const explicit = env.SWROLE_HOME;
  if (explicit !== undefined && explicit !== '') return explicit;
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    if (local !== undefined && local !== '') return win32.join(local, 'swrole');
    return win32.join(homedir, 'AppData', 'Local', 'swrole');
  }
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'swrole');
  return join(homedir, '.cache', 'swrole');
}
