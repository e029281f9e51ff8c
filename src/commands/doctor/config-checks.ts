import { readFileSync } from 'node:fs';
import type { AwsConfig, ConfigWarning } from '../../config/types.js';
import { loadAwsConfig, resolveConfigFilePath } from '../../config/load-aws-config.js';
import { formatConfigWarning } from '../../config/config-warning.js';
import { scanConfigText, type TextFinding } from '../../config/scan-config-text.js';
import { summarizeProfile } from '../../plan/summarize-profile.js';
import { isSwroleError } from '../../errors.js';
import type { Deps } from '../../platform/deps.js';
import { commandLine } from '../../platform/command-hint.js';
import { fail, ok, warn, type CheckResult } from './doctor-check.js';

/** The fix of a warning whose message does not end in one ("…; write [profile x]"). */
const FIX_BY_CODE: Readonly<Record<string, string>> = {
  W_SDK_IGNORES_SECTION: 'rename it to letters, digits and - _ @ + . % : / only (no spaces or quotes), and use the new name',
};

/** The warning's own advice (its text after the last "; "), else the code's. */
function fixOf(warning: ConfigWarning): string {
  const cut = warning.message.lastIndexOf('; ');
  return cut >= 0 ? warning.message.slice(cut + 2) : (FIX_BY_CODE[warning.code] ?? 'see docs/config.md');
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export interface ConfigChecks {
  results: CheckResult[];
  /** The loaded config, when the files can be read (the other checks need it). */
  config: AwsConfig | undefined;
}

/**
 * The config files: whether the AWS CLI can read them, every warning `swrole list` prints (the constructs the SDK
 * for JS reads differently or ignores: src/config/build-profile-map.ts, read-sections.ts), what `list` flags in a
 * profile (a malformed role_arn) or cannot resolve, and what was copied in literally (quotes, full-width text).
 */
export function checkConfigFiles(deps: Pick<Deps, 'env' | 'homedir'>): ConfigChecks {
  const results: CheckResult[] = [];
  const configFile = resolveConfigFilePath(deps, 'AWS_CONFIG_FILE', undefined, 'config');
  const credentialsFile = resolveConfigFilePath(deps, 'AWS_SHARED_CREDENTIALS_FILE', undefined, 'credentials');
  const texts = [configFile, credentialsFile].map((file) => ({ file, text: readText(file) }));
  const findings: TextFinding[] = texts.flatMap(({ file, text }) => (text === undefined ? [] : scanConfigText(file, text)));

  let config: AwsConfig | undefined;
  try {
    config = loadAwsConfig(deps);
    const profiles = [...config.profiles.keys()].length;
    if (texts.every((t) => t.text === undefined)) {
      results.push(
        warn(
          'config-files',
          `neither ${configFile} nor ${credentialsFile} exists`,
          'create ~/.aws/config with your profiles (docs/config.md), or point AWS_CONFIG_FILE at your config',
        ),
      );
    } else {
      results.push(ok('config-files', `${configFile} and ${credentialsFile} read as the AWS CLI reads them: ${profiles} profile(s)`));
    }
  } catch (error) {
    if (!isSwroleError(error)) throw error;
    results.push(fail('config-files', error.message, error.hint ?? 'fix the file as the message says'));
  }

  if (config !== undefined) {
    const warnings = config.warnings;
    for (const w of warnings) results.push(warn('config', formatConfigWarning(w), fixOf(w)));
    if (warnings.length === 0) results.push(ok('config', 'every section and line reads the same in the AWS CLI and the AWS SDK for JS'));
    let arnProblems = 0;
    for (const profile of config.profiles.values()) {
      const summary = summarizeProfile(config, profile);
      for (const message of summary.warnings) {
        arnProblems++;
        results.push(fail('role-arn', message, `correct role_arn of profile "${profile.name}" (arn:aws:iam::123456789012:role/NAME)`));
      }
      if (summary.kind === 'invalid' && summary.error !== null) {
        results.push(
          warn(
            'profile',
            `profile "${profile.name}" cannot be used: ${summary.error.message}`,
            `run \`${commandLine('swrole', 'explain', profile.name)}\``,
          ),
        );
      }
    }
    if (arnProblems === 0) results.push(ok('role-arn', 'every role_arn is a well-formed IAM role ARN with a 12-digit account'));
  }

  const quoted = findings.filter((f) => f.kind === 'quoted-value');
  for (const f of quoted) results.push(fail('quoted-value', f.message, f.fix));
  if (quoted.length === 0) results.push(ok('quoted-value', 'no value is wrapped in quotes'));
  const wide = findings.filter((f) => f.kind === 'full-width');
  for (const f of wide) results.push(f.where === 'header' ? warn('full-width', f.message, f.fix) : fail('full-width', f.message, f.fix));
  if (wide.length === 0) results.push(ok('full-width', 'no full-width characters in names, keys or values'));
  return { results, config };
}
