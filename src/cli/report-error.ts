import { EXIT, isSwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
import { redactSecrets } from '../platform/redact-secrets.js';

const REPORT_URL = 'https://github.com/swrole/swrole/issues';

/** `--debug`: what each error was caused by, one line each (first line of the message, secrets redacted). */
function causeChain(error: Error): string[] {
  const lines: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 8; depth++) {
    const e = cause as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
    const name = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : typeof cause;
    const message = typeof e.message === 'string' ? e.message : String(cause);
    lines.push(redactSecrets(`${name}: ${message.split('\n')[0]}`));
    cause = e.cause;
  }
  return lines;
}

/** Prints an error the way users see it and returns the exit code. Only cli/ prints errors. */
export function reportError(error: unknown, deps: Deps, debug: boolean): number {
  if (isSwroleError(error)) {
    deps.stderr.write(`swrole: ${error.message}\n`);
    if (error.hint) deps.stderr.write(`  hint: ${error.hint}\n`);
    if (debug) {
      deps.stderr.write(`  code: ${error.code}\n`);
      for (const line of causeChain(error)) deps.stderr.write(`  cause: ${line}\n`);
    }
    return error.exit;
  }
  // A bug: show the stack so the user can report it.
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  deps.stderr.write(`swrole: internal error (this is a bug, please report it at ${REPORT_URL})\n${stack}\n`);
  return EXIT.internal;
}
