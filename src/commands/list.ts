import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { summarizeProfile } from '../plan/summarize-profile.js';
import { writeTable } from '../output/render-table.js';
import { reportConfigWarnings } from '../config/config-warning.js';
import { COMMANDS } from '../registry/command-registry.js';
import { createWarner } from '../platform/warnings.js';

export const help = `Usage: swrole list [--json]

List every profile of ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE /
AWS_SHARED_CREDENTIALS_FILE) with its kind, role ARN, account, source profile, MFA serial and region.
Kinds: role, static, process, sso, webIdentity, credentialSource, none (no credentials), invalid
(would fail; run \`swrole explain PROFILE\` for the reason). Makes no AWS call.

Options:
  --json         print {"profiles": [{"profile", "kind", "roleArn", "account", "sourceProfile",
                 "mfaSerial", "region", "error",
                 "warnings"}, ...]}
  -h, --help     show this help

Examples:
  swrole list                          a table of every profile
  swrole list --json | jq -r '.profiles[] | select(.kind == "role") | .profile'
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('list', args, COMMANDS.list.options);
  if (positionals.length > 0) throw usageError('list', `unexpected argument "${positionals[0]}"`);
  const config = loadAwsConfig(deps);
  // Constructs the SDKs read differently: reported once each, on stderr, with file:line.
  reportConfigWarnings(config.warnings, deps.stderr);
  // Streamed (issue 16): one profile summarised at a time (the config keeps only the last few), and neither the
  // summaries nor the output held whole: JSON goes out in pieces; the table keeps only its cells (the column
  // widths need every row) and is written in pieces.
  // What STS would refuse although the profile resolves (a malformed role_arn): flagged before anyone calls it.
  const warn = createWarner(deps.stderr);
  const invalid: string[] = [];
  let count = 0;
  const summaries = function* () {
    for (const profile of config.profiles.values()) {
      const summary = summarizeProfile(config, profile);
      for (const w of summary.warnings) warn(w);
      if (summary.kind === 'invalid') invalid.push(summary.profile);
      count++;
      yield summary;
    }
  };
  if (values.json) {
    // Exactly JSON.stringify({ profiles }, null, 2): each element is its own stringify, indented one level more.
    let chunk = '{\n  "profiles": [';
    for (const summary of summaries()) {
      chunk += `${count > 1 ? ',' : ''}\n    ${JSON.stringify(summary, null, 2).replaceAll('\n', '\n    ')}`;
      if (chunk.length >= 1 << 16) {
        deps.stdout.write(chunk);
        chunk = '';
      }
    }
    deps.stdout.write(`${chunk}${count > 0 ? '\n  ' : ''}]\n}\n`);
    return 0;
  }
  const rows: (string | null)[][] = [];
  for (const s of summaries()) rows.push([s.profile, s.kind, s.roleArn, s.account, s.sourceProfile, s.mfaSerial, s.region]);
  if (count === 0) {
    deps.stderr.write(
      `swrole: no profiles in ${config.configFile} or ${config.credentialsFile}; add one (docs/config.md), or point AWS_CONFIG_FILE at your config\n`,
    );
    return 0;
  }
  writeTable(['PROFILE', 'KIND', 'ROLE', 'ACCOUNT', 'SOURCE', 'MFA', 'REGION'], rows, (chunk) => deps.stdout.write(chunk));
  if (invalid.length > 0) {
    const names = invalid
      .slice(0, 5)
      .map((name) => `"${name}"`)
      .join(', ');
    deps.stderr.write(
      `swrole: ${invalid.length} invalid profile(s): ${names}${invalid.length > 5 ? ', ...' : ''}; run \`swrole explain PROFILE\` for the reason\n`,
    );
  }
  return 0;
}
