/**
 * Resolves with the first of `signals` this process receives (a foreground server's Ctrl-C or `kill`), after which
 * the listeners are removed: a second Ctrl-C while shutting down then ends the process the default way.
 */
export function waitForSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const installed: NodeJS.Signals[] = [];
    const done = (signal: NodeJS.Signals) => {
      // eslint-disable-next-line no-restricted-globals -- removes the listeners installed below
      for (const s of installed) process.removeListener(s, done);
      resolve(signal);
    };
    for (const signal of signals) {
      try {
        // eslint-disable-next-line no-restricted-globals -- signals are process-wide; exec/ is the one place below cli/ that listens (DESIGN.md exec/)
        process.on(signal, done);
        installed.push(signal);
      } catch {
        // not supported on this platform (Windows lacks most POSIX signals)
      }
    }
  });
}
