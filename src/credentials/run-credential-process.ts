import { SwroleError } from '../errors.js';
import { shlexSplit } from '../config/shlex-split.js';
import type { Credentials } from '../domain/credentials.js';
import type { Deps } from '../platform/deps.js';
import { type HelperLimits, runHelper } from '../platform/run-helper.js';
import { parseProcessOutput } from './parse-process-output.js';

/**
 * Bounded, unlike botocore: an agent must never hang on a stuck credential_process. The bound holds for
 * the helper's whole process group (run-helper.ts); tests pass shorter limits.
 */
export const CREDENTIAL_PROCESS_LIMITS: HelperLimits = { timeoutMs: 120_000 };

/**
 * Runs `credential_process` the way botocore does (docs/reference/aws-behaviour.md §3.2): split with POSIX shlex, no shell
 * ($VAR, ~ and pipes stay literal), stdin inherited, stderr captured and shown only on failure.
 */
export async function runCredentialProcess(
  command: string,
  profile: string,
  deps: Deps,
  limits: HelperLimits = CREDENTIAL_PROCESS_LIMITS,
): Promise<Credentials> {
  const argv = shlexSplit(command);
  const fail = (message: string, cause?: unknown) =>
    new SwroleError('E_PROCESS_FAILED', `profile "${profile}": credential_process ${message}`, {
      hint: `run the command yourself to see what it does: ${command}`,
      cause,
    });
  if (!argv || argv.length === 0 || !argv[0]) throw fail('is empty or has an unclosed quote');
  const [file, ...args] = argv as [string, ...string[]];
  let outcome;
  try {
    outcome = await runHelper({ file, args, env: deps.env, stderr: 'pipe', platform: deps.platform, limits });
  } catch (error) {
    throw fail(`could not start: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const said = outcome.stderr.trim() ? `: ${outcome.stderr.trim().split('\n').slice(-3).join(' / ')}` : '';
  if (outcome.timedOut) {
    throw fail(`did not finish within ${Math.round(limits.timeoutMs / 1000)} s and was stopped (with every process it started)${said}`);
  }
  if (outcome.code !== 0) {
    throw fail(`${outcome.signal ? `was killed by ${outcome.signal}` : `exited with status ${outcome.code}`}${said}`);
  }
  return parseProcessOutput(outcome.stdout, profile, deps.now());
}
