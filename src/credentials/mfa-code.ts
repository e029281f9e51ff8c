import { SwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
import { type HelperLimits, runHelper } from '../platform/run-helper.js';
import { promptOnTty } from './tty-prompt.js';
import { commandLine } from '../platform/command-hint.js';

export interface MfaCodeInput {
  /** The profile the user selected (for the `swrole login` hint). */
  profile: string;
  serial: string;
  /** `--mfa-code`. */
  flag?: string | undefined;
  /** The profile's `mfa_process` (aws-vault: run through the shell, stdout is the code). */
  mfaProcess?: string | null;
  allowPrompt: boolean;
  /** The code goes into AssumeRole itself because a role session this long (seconds) cannot come from an MFA session. */
  longSessionSeconds?: number | undefined;
  deps: Deps;
  /** Bounds on mfa_process (default MFA_PROCESS_LIMITS; tests pass shorter ones). */
  mfaProcessLimits?: HelperLimits | undefined;
  /** Told what we wait for while a person is needed (a prompt, mfa_process), then undefined when done. */
  waiting?: (what: string | undefined) => void;
}

/** Bound for mfa_process and all it starts (a YubiKey touch takes a few seconds; never hang an agent). */
export const MFA_PROCESS_LIMITS: HelperLimits = { timeoutMs: 60_000 };

const CODE = /^\d{6}$/;

function invalid(profile: string, from: string): SwroleError {
  return new SwroleError('E_MFA_CODE_FORMAT', `profile "${profile}": the MFA code from ${from} is not 6 digits`, {
    hint: 'an MFA code is the 6 digits shown by your authenticator',
  });
}

/** `--mfa-code` checked before anything else happens (`login --force` must not get far with a typo). */
export function checkMfaCodeFlag(profile: string, code: string): void {
  if (!CODE.test(code.trim())) throw invalid(profile, '--mfa-code');
}

export function mfaRequired(profile: string, serial: string, longSessionSeconds?: number): SwroleError {
  if (longSessionSeconds !== undefined) {
    // AWS caps a role assumed with an MFA session (GetSessionToken credentials) at 1 h, so the longer session needs
    // the code in AssumeRole itself, every time: the cached MFA session from `swrole login` cannot stand in for it.
    const hours = Math.round((longSessionSeconds / 3600) * 10) / 10;
    return new SwroleError(
      'E_MFA_REQUIRED',
      `profile "${profile}": a role session of ${hours} h needs an MFA code for ${serial} on AssumeRole itself, and no terminal is available to ask for it`,
      {
        hint:
          `AWS limits a role assumed with an MFA session to 1 h, so \`${commandLine('swrole', 'login', profile)}\` cannot help here: ` +
          'pass --mfa-code CODE (or set mfa_process in the profile), or ask for --duration 1h or less, which the MFA session of `swrole login` covers',
      },
    );
  }
  return new SwroleError(
    'E_MFA_REQUIRED',
    `profile "${profile}": an MFA code for ${serial} is needed and no terminal is available to ask for it`,
    {
      hint: `run \`${commandLine('swrole', 'login', profile)}\` in a terminal (or pass --mfa-code, or set mfa_process in the profile)`,
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
    if (!CODE.test(code)) throw invalid(input.profile, '--mfa-code');
    return code;
  }
  if (input.mfaProcess) {
    input.waiting?.('waiting for mfa_process (a security key touch?)');
    let code: string;
    try {
      code = await runMfaProcess(input.mfaProcess, input);
    } finally {
      input.waiting?.(undefined);
    }
    if (!CODE.test(code)) throw invalid(input.profile, 'mfa_process');
    return code;
  }
  if (!input.allowPrompt || !input.deps.interactive) throw mfaRequired(input.profile, input.serial, input.longSessionSeconds);
  input.waiting?.('waiting for an MFA code at a terminal');
  let answer;
  try {
    answer = await promptOnTty(`MFA code for ${input.serial}: `, input.deps.platform);
  } finally {
    input.waiting?.(undefined);
  }
  if (answer === undefined) throw mfaRequired(input.profile, input.serial, input.longSessionSeconds);
  if (answer.kind === 'cancelled') {
    throw new SwroleError('E_INTERRUPTED', `profile "${input.profile}": cancelled at the MFA prompt; nothing was changed`, {});
  }
  if (!CODE.test(answer.text)) throw invalid(input.profile, 'the prompt');
  return answer.text;
}
