import { SwroleError } from '../errors.js';
import { quoteCmd, quoteDotenv, quoteFish, quotePwsh, quoteSh } from './shell-quote.js';

export type EnvFormat = 'sh' | 'fish' | 'pwsh' | 'cmd' | 'dotenv' | 'json';
export const ENV_FORMATS: readonly EnvFormat[] = ['sh', 'fish', 'pwsh', 'cmd', 'dotenv', 'json'];

export function isEnvFormat(value: string): value is EnvFormat {
  return (ENV_FORMATS as readonly string[]).includes(value);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new SwroleError('E_OUTPUT_NAME', `invalid environment variable name ${JSON.stringify(name)}`, {
      hint: 'this is a bug in swrole: please report it',
    });
  }
}

/** A NUL byte cannot live in an environment variable on any platform. */
function checkValue(name: string, value: string): void {
  if (value.includes('\0')) {
    throw new SwroleError('E_OUTPUT_UNSAFE', `${name} contains a NUL byte`, {});
  }
}

/**
 * Exports (and unsets) for a shell to evaluate, one statement per line. Unlike `aws configure
 * export-credentials`, which prints values unquoted (docs/reference/aws-behaviour.md §3.4), every value is quoted
 * for its shell so it round-trips whatever it contains. `json` and `dotenv` carry no unsets.
 */
/** The formats a shell evaluates as code (sh, fish, pwsh: `#` starts a comment in each). */
export const SHELL_FORMATS: readonly EnvFormat[] = ['sh', 'fish', 'pwsh'];

/**
 * The first line of `--names-comment` output: the names the output sets, on a line of their own that swrole
 * writes before any value. The shell-init wrapper reads what `use --clear` must unset from here and nowhere else:
 * searching the whole output for `export NAME=` also matched lines inside a multi-line value (issue 15).
 */
export const NAMES_COMMENT = '# swrole-names:';

export function renderEnv(
  vars: ReadonlyArray<readonly [string, string]>,
  unset: readonly string[],
  format: EnvFormat,
  options: { namesComment?: boolean } = {},
): string {
  for (const [name, value] of vars) {
    checkName(name);
    checkValue(name, value);
  }
  unset.forEach(checkName);
  if (format === 'json') {
    return `${JSON.stringify(Object.fromEntries(vars), null, 2)}\n`;
  }
  const lines: string[] = [];
  if (options.namesComment === true && SHELL_FORMATS.includes(format)) lines.push([NAMES_COMMENT, ...vars.map(([name]) => name)].join(' '));
  for (const name of unset) {
    if (format === 'sh') lines.push(`unset ${name}`);
    // fish 3.6: a failed `set -e` (variable not set) makes the whole `... | source` return 4, so say `or true`.
    else if (format === 'fish') lines.push(`set -e ${name}; or true`);
    else if (format === 'pwsh') lines.push(`Remove-Item Env:${name} -ErrorAction SilentlyContinue`);
    else if (format === 'cmd') lines.push(`set ${name}=`);
  }
  for (const [name, value] of vars) {
    if (format === 'sh') lines.push(`export ${name}=${quoteSh(value)}`);
    else if (format === 'fish') lines.push(`set -gx ${name} ${quoteFish(value)}`);
    else if (format === 'pwsh') lines.push(`$Env:${name} = ${quotePwsh(value)}`);
    else if (format === 'cmd') lines.push(`set ${quoteCmd(name, value)}`);
    else lines.push(`${name}=${quoteDotenv(name, value)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
