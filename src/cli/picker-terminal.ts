import { closeSync, openSync, writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
import type { PickerTerminal } from '../platform/picker-terminal.js';

/**
 * The profile picker's terminal (issue 13), only when stdin and stderr are both terminals. Keys are read from a
 * fresh descriptor of the controlling terminal (/dev/tty, CONIN$), not from fd 0: closing it afterwards leaves
 * stdin to `exec`'s child. The screen is stderr. A SIGTERM or SIGHUP while the picker is open first gives the
 * terminal back (raw mode off, cursor shown), then ends the process as the signal would.
 */
export function openPickerTerminal(): PickerTerminal | undefined {
  if (!isatty(0) || !isatty(2)) return undefined;
  let fd: number;
  try {
    fd = openSync(process.platform === 'win32' ? 'CONIN$' : '/dev/tty', 'r');
  } catch {
    return undefined;
  }
  if (!isatty(fd)) {
    closeSync(fd);
    return undefined;
  }
  const input = new ReadStream(fd);
  const write = (text: string) => {
    try {
      writeSync(2, text);
    } catch {
      // the terminal went away: nothing left to draw on
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      input.setRawMode(false);
    } catch {
      // the terminal is gone
    }
    write('\r\x1b[J\x1b[?25h');
    release();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? [] : ['SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, onSignal);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const signal of signals) process.removeListener(signal, onSignal);
    input.destroy();
  };
  return {
    input,
    write,
    size: () => ({ columns: process.stderr.columns || 80, rows: process.stderr.rows || 24 }),
    close: release,
  };
}
