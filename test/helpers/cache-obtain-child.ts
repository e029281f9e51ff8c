// Child process for the cache race and lock tests: calls obtain() on one key and prints the outcome as JSON.
// argv: dir key counterFile fetchMs lockStaleMs lockWaitMs [hold]
// The fetch appends one line to counterFile (so the test counts fetches across processes), then sleeps
// fetchMs; with `hold` it prints LOCKED and never finishes (the test SIGKILLs it while it holds the lock).
import { appendFileSync } from 'node:fs';
import { createSessionStore } from '../../src/cache/session-store.js';
import { isSwroleError } from '../../src/errors.js';

const [dir, key, counterFile, fetchMs, staleMs, waitMs, mode] = process.argv.slice(2);
if (dir === undefined || key === undefined || counterFile === undefined) throw new Error('usage: dir key counterFile ...');

const store = createSessionStore({
  dir,
  now: () => Date.now(),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
  lockStaleMs: Number(staleMs ?? 10_000),
  lockWaitMs: Number(waitMs ?? 30_000),
});

const started = performance.now();
try {
  const result = await store.obtain(key, async () => {
    appendFileSync(counterFile, `${process.pid}\n`);
    if (mode === 'hold') {
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
  });
  // proper-lockfile pulls in graceful-fs, which leaves this global behind: proof the lock code was loaded.
  const lockLoaded = Symbol.for('graceful-fs.queue') in globalThis;
  process.stdout.write(`${JSON.stringify({ ...result, lockLoaded, ms: performance.now() - started })}\n`);
} catch (error) {
  if (!isSwroleError(error)) throw error;
  process.stdout.write(`${JSON.stringify({ code: error.code, exit: error.exit, hint: error.hint, ms: performance.now() - started })}\n`);
  process.exitCode = error.exit;
}
