import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Asks on the controlling terminal, not stdin/stdout: `eval "$(swrole env X)"` captures stdout and a pipe
 * may own stdin, yet the human still sees and answers the prompt (like `getpass` in botocore's prompter).
 * Returns undefined when there is no terminal.
 */
export function promptOnTty(prompt: string, platform: NodeJS.Platform): string | undefined {
  const device = platform === 'win32' ? 'CONIN$' : '/dev/tty';
  let fd: number;
  try {
    fd = openSync(device, 'r+');
  } catch {
    return undefined;
  }
  try {
    writeSync(fd, prompt);
    const buffer = Buffer.alloc(256);
    let text = '';
    // A terminal in canonical mode returns one line per read; bounded in case of a raw device.
    for (let i = 0; i < 64 && !text.includes('\n'); i++) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n <= 0) break;
      text += buffer.subarray(0, n).toString('utf8');
    }
    return text.split('\n')[0]?.trim() ?? '';
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
