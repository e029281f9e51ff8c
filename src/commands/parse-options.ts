import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SwroleError } from '../errors.js';
import { COMMON_OPTIONS } from '../registry/option-specs.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict flag parsing: an unknown flag or a missing value is a usage error (exit 2), never a stack trace.
 * `command` names the subcommand in the message so the user knows which help to read.
 */
export function parseOptions<T extends Options>(command: string, args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (error) {
    // One line, so the hint directly follows the message: node's own text may span several ("... is ambiguous.\nDid you ...?").
    const reason =
      error instanceof Error
        ? error.message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n\s*/g, ' ')
        : String(error);
    throw new SwroleError('E_USAGE', `${command}: ${reason}`, { hint: `run \`swrole ${command} --help\``, cause: error });
  }
}
