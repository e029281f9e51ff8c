import { readFileSync } from 'node:fs';
import type { Deps } from '../platform/deps.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { findProfile } from '../config/resolve-selection.js';
import { stringValue } from '../config/types.js';
import { resolvePlan } from '../plan/resolve-plan.js';
import { renderCredentialProcessCommand } from '../integrations/credential-process-command.js';
import { addProfilesToConfig, removeProfilesFromConfig, type SetupProfile } from '../integrations/edit-aws-config.js';
import { editFileSafely } from '../integrations/safe-file-edit.js';
import { COMMANDS } from '../registry/command-registry.js';

export const SETUP_SUFFIX = '.swrole';
const BACKUP_SUFFIX = '.swrole-backup';

/**
 * Adding a section to a file without a final newline has to add one; removing the section cannot tell
 * whether it was there before. The backup (the bytes before setup's last change) can: when it is exactly the
 * result minus that newline, give back its bytes.
 */
function restoreFinalNewlineHabit(text: string, backupPath: string): string {
  let backup: string;
  try {
    backup = readFileSync(backupPath, 'utf8');
  } catch {
    return text;
  }
  return text === `${backup}\n` || text === `${backup}\r\n` ? backup : text;
}

export const help = `Usage: swrole setup PROFILE... [--remove]

Adds a profile PROFILE${SETUP_SUFFIX} to your AWS config whose credential_process runs \`swrole process PROFILE\`
(by the absolute paths of node and swrole, so it works wherever the SDK runs it; re-run setup after moving
either, e.g. a new node version),
so any SDK or tool (aws CLI, boto3, terraform, CDK, the Node SDK) gets swrole's cached credentials, with no
MFA prompt in every new process. The edit is lossless (every other byte of the file stays as it was),
atomic, and the previous file is kept as <config>.swrole-backup. Running it again changes nothing.

Options:
  --remove        remove the PROFILE${SETUP_SUFFIX} sections again
  -h, --help      show this help

Examples:
  swrole setup prod dev                 then: aws s3 ls --profile prod${SETUP_SUFFIX}
  AWS_PROFILE=prod${SETUP_SUFFIX} terraform plan
  swrole setup prod --remove
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('setup', args, COMMANDS.setup.options);
  if (positionals.length === 0) throw usageError('setup', 'name at least one profile');
  const config = loadAwsConfig(deps);
  const file = config.configFile;
  let transform: (text: string | undefined) => string | undefined;
  let report: () => string;
  if (values.remove) {
    const names = positionals.map((p) => `${p}${SETUP_SUFFIX}`);
    let result: ReturnType<typeof removeProfilesFromConfig> | undefined;
    transform = (text) => {
      if (text === undefined) return undefined;
      result = removeProfilesFromConfig(text, file, names);
      return restoreFinalNewlineHabit(result.text, `${file}${BACKUP_SUFFIX}`);
    };
    report = () => (result?.removed.length ? `removed ${result.removed.join(', ')} from ${file}` : `nothing to remove in ${file}`);
  } else {
    const profiles: SetupProfile[] = positionals.map((name) => {
      const profile = findProfile(config, name);
      resolvePlan(config, name); // refuse to wire up a profile that cannot resolve
      const region = stringValue(profile.values, 'region');
      const entries: Array<[string, string]> = [
        ['credential_process', renderCredentialProcessCommand(deps.nodePath, deps.selfPath, ['process', name])],
      ];
      if (region) entries.push(['region', region]);
      return { name: `${name}${SETUP_SUFFIX}`, entries };
    });
    let result: ReturnType<typeof addProfilesToConfig> | undefined;
    transform = (text) => (result = addProfilesToConfig(text ?? '', file, profiles)).text;
    report = () => {
      const r = result!;
      const parts = [
        r.added.length ? `added ${r.added.join(', ')}` : '',
        r.updated.length ? `updated ${r.updated.join(', ')}` : '',
        r.unchanged.length ? `already set up: ${r.unchanged.join(', ')}` : '',
      ];
      return `${parts.filter(Boolean).join('; ')} in ${file}`;
    };
  }
  const edit = await editFileSafely(file, transform, {
    backupPath: `${file}${BACKUP_SUFFIX}`,
    platform: deps.platform,
    owner: { pid: deps.pid, command: deps.invocation ?? 'swrole setup', now: deps.now },
  });
  deps.stderr.write(`swrole: ${report()}${edit.backup ? ` (previous file kept as ${edit.backup})` : ''}\n`);
  return 0;
}
