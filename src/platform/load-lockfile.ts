import type * as Lockfile from 'proper-lockfile';

/**
 * proper-lockfile is CommonJS: bundled as ESM its functions live on `default`, while tsx/Node expose them
 * as named exports too. Loaded lazily: only a cache miss or a file edit pays for it.
 */
export async function loadLockfile(): Promise<typeof Lockfile> {
  const mod = (await import('proper-lockfile')) as typeof Lockfile & { default?: typeof Lockfile };
  return mod.default ?? mod;
}
