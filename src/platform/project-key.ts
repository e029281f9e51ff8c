import { realpathSync } from 'node:fs';
import { fastHash } from './fast-hash.js';

/**
 * The state-dir name of a project: a hash of its real path, so every spelling of the path (symlinks, `..`)
 * finds the same agent view and settings record. A path that does not exist yet is its own key.
 * fastHash, not node:crypto: the statusline and SessionStart hooks run this on every agent turn.
 */
export function projectKey(projectDir: string): string {
  let real = projectDir;
  try {
    real = realpathSync(projectDir);
  } catch {
    // not created yet
  }
  return fastHash(real).slice(0, 32);
}
