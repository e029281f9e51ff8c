import type { ConfigWarning } from './types.js';
import type { Writer } from '../platform/deps.js';
import { createWarner } from '../platform/warnings.js';

/** Warning codes: constructs botocore accepts but the AWS SDK for JS (or a human) reads differently. */
export type ConfigWarningCode =
  | 'W_INLINE_COMMENT'
  | 'W_COLON_SEPARATOR'
  | 'W_KEY_CASE'
  | 'W_EMPTY_VALUE'
  | 'W_MULTILINE_VALUE'
  | 'W_DEFAULT_SECTION'
  | 'W_IGNORED_SECTION'
  | 'W_SDK_IGNORES_SECTION'
  | 'W_DEFAULT_TWICE'
  | 'W_NOT_A_PROFILE'
  | 'W_CREDENTIALS_PROFILE_PREFIX';

export function createConfigWarning(code: ConfigWarningCode, file: string, line: number, message: string): ConfigWarning {
  return { code, file, line, message };
}

/** `file:line: message`, the form the CLI prints. */
export function formatConfigWarning(warning: ConfigWarning): string {
  return `${warning.file}:${warning.line}: ${warning.message}`;
}

/** Prints a loaded config's warnings on stderr, each once, with file:line (list and explain show them). */
export function reportConfigWarnings(warnings: readonly ConfigWarning[], stderr: Writer): void {
  const warn = createWarner(stderr);
  for (const w of warnings) warn(formatConfigWarning(w));
}
