import type { Writer } from './deps.js';

/** Prints each distinct line once per process, on stderr, as `swrole: <label><message>`. */
export function createOncePrinter(stderr: Writer, label = ''): (message: string) => void {
  const seen = new Set<string>();
  return (message: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    stderr.write(`swrole: ${label}${message}\n`);
  };
}

/** Warnings: `swrole: warning: ...`, each distinct one once. */
export function createWarner(stderr: Writer): (message: string) => void {
  return createOncePrinter(stderr, 'warning: ');
}
