import { createProcessDeps } from './create-deps.js';
import { reportError } from './report-error.js';
import { tryFastPath } from './fast-path.js';
import { EXIT } from '../errors.js';

/**
 * package.json's version, put in by scripts/build.mjs (esbuild define), so the hot path reads no package.json;
 * 'dev' only when the sources run unbuilt.
 */
declare const SWROLE_VERSION: string;
const VERSION = typeof SWROLE_VERSION === 'string' ? SWROLE_VERSION : 'dev';

async function main(argv: string[]): Promise<number> {
  const deps = createProcessDeps();
  const [name] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    const { renderHelp } = await import('./render-help.js');
    (name === undefined ? deps.stderr : deps.stdout).write(renderHelp());
    return name === undefined ? EXIT.usage : 0;
  }
  if (name === '--version' || name === '-v') {
    deps.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const fast = await tryFastPath(argv, deps);
    if (fast !== undefined) return fast;
  } catch {
    // the fast path is an optimisation only: whatever went wrong, the full path answers (and reports)
  }
  try {
    // Every command, its help and "did you mean" come from the registry (src/registry/command-registry.ts).
    // Loaded only now: a cache hit answered above never compiles dispatch, help or the loaders.
    const { dispatch } = await import('./dispatch.js');
    return await dispatch(argv, deps);
  } catch (error) {
    return reportError(error, deps, argv.includes('--debug'));
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`swrole: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.internal;
  },
);
