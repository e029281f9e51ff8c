import { SwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
import { type HelperLimits, runHelper } from '../platform/run-helper.js';
import { promptOnTty } from './tty-prompt.js';

export interface MfaCodeInput {
  /** The profile the user selected (for the `swrole login` hint). */
  profile: string;
  serial: string;
  /** `--mfa-code`. */
  flag?: string | undefined;
  /** The profile's `mfa_process` (aws-vault: run through the shell, stdout is the code). */
  mfaProcess?: string | null;
  allowPrompt: boolean;
  deps: Deps;
  /** Bounds on mfa_process (default MFA_PROCESS_LIMITS; tests pass shorter ones). */
  mfaProcessLimits?: HelperLimits | undefined;
}

/** Bound for mfa_process and all it starts (a YubiKey touch takes a few seconds; never hang an agent). */
export const MFA_PROCESS_LIMITS: HelperLimits = { timeoutMs: 60_000 };

const CODE = /^\d{6}$/;

function invalid(input: MfaCodeInput, from: string): SwroleError {
  return new SwroleError('E_MFA_CODE_FORMAT', `profile "${input.profile}": the MFA code from ${from} is not 6 digits`, {
    hint: 'an MFA code is the 6 digits shown by your authenticator',
  });
}

export function mfaRequired(profile: string, serial: string): SwroleError {
  return new SwroleError(
    'E_MFA_REQUIRED',
    `profile "${profile}": an MFA code for ${serial} is needed and no terminal is available to ask for it`,
    {
      hint: `run \`swrole login ${profile}\` in a terminal (or pass --mfa-code, or set mfa_process in the profile)`,
    },
  );
}

async function runMfaProcess(command: string, input: MfaCodeInput): Promise<string> {
  const limits = input.mfaProcessLimits ?? MFA_PROCESS_LIMITS;
  const windows = input.deps.platform === 'win32';
  const failed = (why: string, cause?: unknown) =>
    new SwroleError('E_MFA_PROCESS', `profile "${input.profile}": mfa_process ${why}`, {
      hint: `check mfa_process = ${command}`,
      cause,
    });
  let outcome;
  try {
    // stdin and stderr inherited so tools like `ykman oath accounts code` can ask for a touch/password.
    outcome = await runHelper({
      file: windows ? 'cmd.exe' : '/bin/sh',
      args: windows ? ['/d', '/s', '/c', command] : ['-c', command],
      env: input.deps.env,
      stderr: 'inherit',
      platform: input.deps.platform,
      limits,
      maxStdout: 4096,
    });
  } catch (error) {
    throw failed(`failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  if (outcome.timedOut) {
    throw failed(`did not finish within ${Math.round(limits.timeoutMs / 1000)} s and was stopped (with every process it started)`);
  }
  if (outcome.code !== 0) throw failed(`failed: ${outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.code}`}`);
  return outcome.stdout.trim();
}

/**
 * The MFA code, from (in order) `--mfa-code`, the profile's `mfa_process`, a prompt on the terminal.
 * Without a terminal, or for an agent, or for `swrole process`, never prompt: fail at once with the
 * command a human should run (DESIGN.md Agents).
 */
export async function resolveMfaCode(input: MfaCodeInput): Promise<string> {
  if (input.flag !== undefined) {
    const code = input.flag.trim();
    if (!CODE.test(code)) throw invalid(input, '--mfa-code');
    return code;
  }
  if (input.mfaProcess) {
    const code = await runMfaProcess(input.mfaProcess, input);
    if (!CODE.test(code)) throw invalid(input, 'mfa_process');
    return code;
  }
  if (!input.allowPrompt || !input.deps.interactive) throw mfaRequired(input.profile, input.serial);
  const answer = promptOnTty(`MFA code for ${input.serial}: `, input.deps.platform);
  if (answer === undefined) throw mfaRequired(input.profile, input.serial);
  if (!CODE.test(answer)) throw invalid(input, 'the prompt');
  return answer;
}
