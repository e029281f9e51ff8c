import { spawn } from 'node:child_process';
import { EXIT, SwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
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
  /** Told what we wait for while a person is needed (a prompt, mfa_process), then undefined when done. */
  waiting?: (what: string | undefined) => void;
}

/** Bound for mfa_process (a YubiKey touch takes a few seconds; never hang an agent). */
const MFA_PROCESS_TIMEOUT_MS = 60_000;

const CODE = /^\d{6}$/;

function invalid(profile: string, from: string): SwroleError {
  return new SwroleError('E_MFA_CODE_FORMAT', `profile "${profile}": the MFA code from ${from} is not 6 digits`, {
    hint: 'an MFA code is the 6 digits shown by your authenticator',
    exit: EXIT.auth,
  });
}

/** `--mfa-code` checked before anything else happens (`login --force` must not get far with a typo). */
export function checkMfaCodeFlag(profile: string, code: string): void {
  if (!CODE.test(code.trim())) throw invalid(profile, '--mfa-code');
}

export function mfaRequired(profile: string, serial: string): SwroleError {
  return new SwroleError(
    'E_MFA_REQUIRED',
    `profile "${profile}": an MFA code for ${serial} is needed and no terminal is available to ask for it`,
    {
      hint: `run \`swrole login ${profile}\` in a terminal (or pass --mfa-code, or set mfa_process in the profile)`,
      exit: EXIT.auth,
    },
  );
}

function runMfaProcess(command: string, input: MfaCodeInput): Promise<string> {
  const shell = input.deps.platform === 'win32' ? 'cmd.exe' : '/bin/sh';
  const args = input.deps.platform === 'win32' ? ['/d', '/s', '/c', command] : ['-c', command];
  return new Promise((resolve, reject) => {
    // stdin inherited so tools like `ykman oath accounts code` can ask for a touch/password.
    const child = spawn(shell, args, {
      env: { ...input.deps.env },
      stdio: ['inherit', 'pipe', 'inherit'],
      timeout: MFA_PROCESS_TIMEOUT_MS,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (out.length < 4096) out += chunk;
    });
    child.on('error', (error) => reject(error));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out.trim());
      else reject(new Error(signal ? `killed by ${signal} (timeout ${MFA_PROCESS_TIMEOUT_MS} ms?)` : `exit status ${code}`));
    });
  }).then(
    (value) => value as string,
    (error: unknown) => {
      throw new SwroleError(
        'E_MFA_PROCESS',
        `profile "${input.profile}": mfa_process failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: `check mfa_process = ${command}`,
          exit: EXIT.auth,
          cause: error,
        },
      );
    },
  );
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
  if (!input.allowPrompt || !input.deps.interactive) throw mfaRequired(input.profile, input.serial);
  input.waiting?.('waiting for an MFA code at a terminal');
  let answer;
  try {
    answer = await promptOnTty(`MFA code for ${input.serial}: `, input.deps.platform);
  } finally {
    input.waiting?.(undefined);
  }
  if (answer === undefined) throw mfaRequired(input.profile, input.serial);
  if (answer.kind === 'cancelled') {
    throw new SwroleError('E_INTERRUPTED', `profile "${input.profile}": cancelled at the MFA prompt; nothing was changed`, {
      exit: EXIT.interrupted,
    });
  }
  if (!CODE.test(answer.text)) throw invalid(input.profile, 'the prompt');
  return answer.text;
}
