import { createReadStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { isatty, ReadStream } from 'node:tty';

export type InputResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads a whole stream with a size cap and a deadline, for hooks: Claude Code writes the hook input and closes
 * stdin, but a guard run by hand from a terminal (or a harness that keeps the pipe open, agents.md §1.8) must
 * not hang the agent's every command.
 */
export function readBoundedInput(stream: Readable, maxBytes: number, timeoutMs: number): Promise<InputResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: InputResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `no complete input within ${timeoutMs} ms` }), timeoutMs);
    stream.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) finish({ ok: false, reason: `input larger than ${maxBytes} bytes` });
      else chunks.push(buffer);
    });
    stream.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', (error) => finish({ ok: false, reason: `cannot read input: ${error.message}` }));
  });
}

/**
 * Standard input as a stream, without touching the `process` global (only cli/ may). Like node's own
 * process.stdin, pick the stream kind by what fd 0 is: a pipe read through fs would block a thread-pool read
 * that destroy() cannot cancel, and the process could not exit after the timeout.
 */
export function openStdin(): Readable {
  const stat = fstatSync(0);
  if (stat.isFIFO() || stat.isSocket()) return new Socket({ fd: 0, readable: true, writable: false });
  if (isatty(0)) return new ReadStream(0);
  return createReadStream('', { fd: 0, autoClose: false });
}
