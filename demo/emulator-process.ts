// The STS emulator in a child process, for scripts that time or drive swrole with blocking spawnSync
// (an in-process emulator would be starved by the blocked event loop). Talks to it over /__emulator/.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface EmulatorProcess {
  url: string;
  counts(): Promise<Record<string, number>>;
  now(): Promise<number>;
  close(): void;
}

export async function startEmulatorProcess(worldFile: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'emulator', 'main.ts'), '--world', worldFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the emulator did not start within 20 s')), 20_000);
    child.once('exit', (code) => fail(new Error(`the emulator exited (${code}) before listening`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) done(match[1]!);
      else fail(new Error(`unexpected emulator output: ${line}`));
    });
  });
  child.removeAllListeners('exit');
  const get = async (path: string) => (await fetch(`${url}/__emulator/${path}`)).json() as Promise<unknown>;
  return {
    url,
    counts: async () => (await get('counts')) as Record<string, number>,
    now: async () => ((await get('clock')) as { now: number }).now,
    close: () => void child.kill('SIGTERM'),
  };
}
