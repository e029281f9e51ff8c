import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { summarizeProfile } from '../plan/summarize-profile.js';
import { renderTable } from '../output/render-table.js';
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
  const summaries = [...config.profiles.values()].map((profile) => summarizeProfile(config, profile));
  // What STS would refuse although the profile resolves (a malformed role_arn): flagged before anyone calls it.
  const warn = createWarner(deps.stderr);
  for (const s of summaries) for (const w of s.warnings) warn(w);
  if (values.json) {
    deps.stdout.write(`${JSON.stringify({ profiles: summaries }, null, 2)}\n`);
    return 0;
  }
  if (summaries.length === 0) {
    deps.stderr.write(
      `swrole: no profiles in ${config.configFile} or ${config.credentialsFile}; add one (docs/config.md), or point AWS_CONFIG_FILE at your config\n`,
    );
    return 0;
  }
  const rows = summaries.map((s) => [s.profile, s.kind, s.roleArn, s.account, s.sourceProfile, s.mfaSerial, s.region]);
  deps.stdout.write(renderTable(['PROFILE', 'KIND', 'ROLE', 'ACCOUNT', 'SOURCE', 'MFA', 'REGION'], rows));
  const invalid = summaries.filter((s) => s.kind === 'invalid');
  if (invalid.length > 0) {
    const names = invalid
      .slice(0, 5)
      .map((s) => `"${s.profile}"`)
      .join(', ');
    deps.stderr.write(
      `swrole: ${invalid.length} invalid profile(s): ${names}${invalid.length > 5 ? ', ...' : ''}; run \`swrole explain PROFILE\` for the reason\n`,
    );
  }
  return 0;
}
