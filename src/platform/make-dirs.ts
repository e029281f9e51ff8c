import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * mkdir -p, one level at a time, each new level 0700. Not `mkdirSync(..., { recursive: true })`: on Node 20 that
 * spins forever when the kernel answers ENOENT for a parent that exists (seen under /proc), and a sandbox may be
 * like that.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    try {
      statSync(current);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
