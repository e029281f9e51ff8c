import { spawn } from 'node:child_process';
import { SwroleError } from '../errors.js';
import { shlexSplit } from '../config/shlex-split.js';
import type { Credentials } from '../domain/credentials.js';
import type { Deps } from '../platform/deps.js';
import { parseProcessOutput } from './parse-process-output.js';

/**
 * Runs `credential_process` the way botocore does (docs/reference/aws-behaviour.md §3.2): split with POSIX shlex, no shell
 * ($VAR, ~ and pipes stay literal), stdin inherited, stderr captured and shown only on failure.
 * Bounded in time, unlike botocore, so an agent never hangs.
 */
/** Bounded, unlike botocore: an agent must never hang on a stuck credential_process. */
const TIMEOUT_MS = 120_000;

export function runCredentialProcess(command: string, profile: string, deps: Deps): Promise<Credentials> {
  const argv = shlexSplit(command);
  const fail = (message: string, cause?: unknown) =>
    new SwroleError('E_PROCESS_FAILED', `profile "${profile}": credential_process ${message}`, {
      hint: `run the command yourself to see what it does: ${command}`,
      cause,
    });
  if (!argv || argv.length === 0 || !argv[0]) return Promise.reject(fail('is empty or has an unclosed quote'));
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...deps.env }, stdio: ['inherit', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (out.length < 1 << 20) out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (err.length < 4096) err += chunk;
    });
    child.on('error', (error) => reject(fail(`could not start: ${error.message}`, error)));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const why = signal ? `was killed by ${signal}` : `exited with status ${code}`;
        reject(fail(`${why}${err.trim() ? `: ${err.trim().split('\n').slice(-3).join(' / ')}` : ''}`));
        return;
      }
      try {
        resolve(parseProcessOutput(out, profile, deps.now()));
      } catch (error) {
        reject(error);
      }
    });
  });
}
