// Child process for the cache race and lock tests: calls obtain() on one key and prints the outcome as JSON.
// argv: dir key counterFile fetchMs workingWaitMs personWaitMs [hold|prompt]
// The fetch appends one line to counterFile (so the test counts fetches across processes), then sleeps
// fetchMs; with `hold` it prints LOCKED and never finishes (the test SIGKILLs it while it holds the lock);
// `prompt` does the same after telling waiters it waits for an MFA code at a terminal; `interactive` waits as a
// person would (told who holds the lock).
import { appendFileSync } from 'node:fs';
import { createSessionStore } from '../../src/cache/session-store.js';
import { isSwroleError } from '../../src/errors.js';

const [dir, key, counterFile, fetchMs, workingMs, personMs, mode] = process.argv.slice(2);
if (dir === undefined || key === undefined || counterFile === undefined) throw new Error('usage: dir key counterFile ...');

const store = createSessionStore({
  dir,
  now: () => Date.now(),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
  notice: (message) => process.stderr.write(`notice: ${message}\n`),
  pid: process.pid,
  command: `cache-obtain-child ${mode ?? 'fetch'}`,
  lockBounds: {
    workingMs: Number(workingMs ?? 300_000),
    personInteractiveMs: Number(personMs ?? 180_000),
    personUnattendedMs: Number(personMs ?? 60_000),
  },
});

const started = performance.now();
try {
  const result = await store.obtain(
    key,
    async () => {
      appendFileSync(counterFile, `${process.pid}\n`);
      if (mode === 'prompt') store.setLockActivity({ doing: 'waiting for an MFA code at a terminal', person: true });
      if (mode === 'hold' || mode === 'prompt') {
        process.stdout.write('LOCKED\n');
        await new Promise(() => setInterval(() => {}, 1000));
      }
      await new Promise((done) => setTimeout(done, Number(fetchMs ?? 200)));
      return {
        version: 1 as const,
        kind: 'role' as const,
        profile: 'race',
        credentials: {
          accessKeyId: `ASIA${process.pid}`,
          secretAccessKey: `secret-${process.pid}-${Math.random()}`,
          sessionToken: 'token',
          expiration: new Date(Date.now() + 3600_000).toISOString(),
        },
        meta: { fetchedBy: process.pid },
      };
    },
    { interactive: () => mode === 'interactive' },
  );
  process.stdout.write(`${JSON.stringify({ ...result, ms: performance.now() - started })}\n`);
} catch (error) {
  if (!isSwroleError(error)) throw error;
  const out = { code: error.code, exit: error.exit, message: error.message, hint: error.hint, ms: performance.now() - started };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exitCode = error.exit;
}
