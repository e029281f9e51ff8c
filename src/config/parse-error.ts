import { SwroleError } from '../errors.js';

/** The one error for a file botocore refuses to read (`ConfigParseError: Unable to parse config file`). */
export function configParseError(file: string, line: number, what: string, hint: string): SwroleError {
  return new SwroleError('E_CONFIG_PARSE', `${file}:${line}: ${what}`, { hint });
}
