import type { Writer } from './deps.js';

/** Prints each distinct warning once per process, on stderr, as `swrole: warning: ...`. */
export function createWarner(stderr: Writer): (message: string) => void {
  const seen = new Set<string>();
  return (message: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    stderr.write(`swrole: warning: ${message}\n`);
  };
}
