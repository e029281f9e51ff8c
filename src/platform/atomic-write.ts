import { join } from 'node:path';
import { replaceFileAtomic } from './atomic-replace.js';

/** Leftover temp files (a writer killed mid-write) end with this suffix; the store's clear() removes them. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Writes `dir/name` (0600) so that a reader sees the old file or the whole new one, never a torn one
 * (botocore moved to the same scheme in boto/botocore#3597 after readers saw half-written cache files).
 */
export function writeFileAtomic(dir: string, name: string, text: string, platform: NodeJS.Platform): void {
  replaceFileAtomic(join(dir, name), text, 0o600, platform);
}
