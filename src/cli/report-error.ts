import { EXIT, isSwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';

const REPORT_URL = 'https://github.com/swrole/swrole/issues';

/** Prints an error the way users see it and returns the exit code. Only cli/ prints errors. */
export function reportError(error: unknown, deps: Deps, debug: boolean): number {
  if (isSwroleError(error)) {
    deps.stderr.write(`swrole: ${error.message}\n`);
    if (error.hint) deps.stderr.write(`  hint: ${error.hint}\n`);
    if (debug) deps.stderr.write(`  code: ${error.code}\n`);
    return error.exit;
  }
  // A bug: show the stack so the user can report it.
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  deps.stderr.write(`swrole: internal error (this is a bug, please report it at ${REPORT_URL})\n${stack}\n`);
  return EXIT.internal;
}
