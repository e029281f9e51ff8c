import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';

/** What the person did at the prompt: typed a line, or cancelled it (Ctrl-C, Ctrl-\). */
export type PromptAnswer = { kind: 'line'; text: string } | { kind: 'cancelled' };

const MAX_LENGTH = 256;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_BACKSLASH = 0x1c;
const CTRL_U = 0x15;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const ESCAPE = 0x1b;

function openDevice(device: string, flags: string): number | undefined {
  try {
    return openSync(device, flags);
  } catch {
    return undefined;
  }
}

function writeQuietly(fd: number, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // the terminal went away: nothing left to tell
  }
}

/**
 * Reads one line from a terminal in raw mode, asynchronously: nothing is echoed (a secret, like getpass), and
 * Ctrl-C arrives as a byte instead of SIGINT, so it cancels at once, and the caller unwinds normally (its
 * locks released, nothing written). A blocking readSync could not be interrupted until Enter (issue 13).
 */
function readRawLine(input: ReadStream): Promise<PromptAnswer> {
  return new Promise((resolve) => {
    let text = '';
    let escape = false;
    const finish = (answer: PromptAnswer) => {
      input.removeAllListeners('data');
      try {
        input.setRawMode(false);
      } catch {
        // the terminal is gone
      }
      input.destroy();
      resolve(answer);
    };
    input.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (escape) {
          // skip an escape sequence (arrow keys...): ESC [ ... final byte in @..~
          if (byte >= 0x40 && byte <= 0x7e && byte !== 0x5b) escape = false;
          continue;
        }
        if (byte === CTRL_C || byte === CTRL_BACKSLASH) return finish({ kind: 'cancelled' });
        if (byte === 0x0d || byte === 0x0a || byte === CTRL_D) return finish({ kind: 'line', text });
        if (byte === DELETE || byte === BACKSPACE) text = text.slice(0, -1);
        else if (byte === CTRL_U) text = '';
        else if (byte === ESCAPE) escape = true;
        else if (byte >= 0x20 && text.length < MAX_LENGTH) text += String.fromCharCode(byte);
      }
    });
    input.once('end', () => finish({ kind: 'line', text }));
    input.once('error', () => finish({ kind: 'line', text }));
  });
}

/** A device that is not a terminal (rare: a redirected CONIN$): one blocking line, as before. */
function readLineSync(fd: number): PromptAnswer {
  const buffer = Buffer.alloc(256);
  let text = '';
  for (let i = 0; i < 64 && !text.includes('\n'); i++) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n <= 0) break;
    text += buffer.subarray(0, n).toString('utf8');
  }
  return { kind: 'line', text: text.split('\n')[0] ?? '' };
}

/**
 * Asks on the controlling terminal, not stdin/stdout: `eval "$(swrole env X)"` captures stdout and a pipe
 * may own stdin, yet the human still sees and answers the prompt (like `getpass` in botocore's prompter).
 * The answer is not echoed. Returns undefined when there is no terminal.
 */
export async function promptOnTty(prompt: string, platform: NodeJS.Platform): Promise<PromptAnswer | undefined> {
  const device = platform === 'win32' ? 'CONIN$' : '/dev/tty';
  const output = openDevice(platform === 'win32' ? 'CONOUT$' : '/dev/tty', 'w');
  const inputFd = openDevice(device, 'r');
  if (output === undefined || inputFd === undefined) {
    if (output !== undefined) closeSync(output);
    if (inputFd !== undefined) closeSync(inputFd);
    return undefined;
  }
  try {
    writeQuietly(output, prompt);
    let answer: PromptAnswer;
    if (isatty(inputFd)) {
      // The stream owns inputFd from here (closed when it is destroyed).
      const input = new ReadStream(inputFd);
      try {
        input.setRawMode(true);
      } catch (error) {
        input.destroy();
        throw error;
      }
      answer = await readRawLine(input);
    } else {
      try {
        answer = readLineSync(inputFd);
      } finally {
        closeSync(inputFd);
      }
    }
    // Raw mode does not echo the Enter either: end the prompt's line ourselves.
    writeQuietly(output, answer.kind === 'cancelled' ? '^C\n' : '\n');
    return answer.kind === 'line' ? { kind: 'line', text: answer.text.trim() } : answer;
  } catch {
    return undefined;
  } finally {
    closeSync(output);
  }
}
