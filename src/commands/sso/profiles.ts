import type { CommandModule } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { usageError } from '../../errors.js';
import { createReporters, resolveProfileArg } from '../credential-options.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { parseIniDocument } from '../../config/ini-document.js';
import { findSection } from '../../config/ini-edit.js';
import { resolvePlan } from '../../plan/resolve-plan.js';
import type { SsoSource } from '../../plan/types.js';
import { resolveSwroleDirs } from '../../platform/resolve-state-dir.js';
import { renderProfileHeader } from '../../integrations/credential-process-command.js';
import { addProfilesToConfig, type SetupProfile } from '../../integrations/edit-aws-config.js';
import { editFileSafely } from '../../integrations/safe-file-edit.js';
import { COMMANDS } from '../../registry/command-registry.js';
import type { SsoAssignment } from '../../credentials/sso-listing.js';

export const help = `Usage: swrole sso profiles PROFILE [--write] [--prefix P] [--template T]
       swrole sso profiles --session NAME [--write] [--prefix P] [--template T]
       swrole sso profiles --start-url URL --region R [--write] [--prefix P] [--template T]

One profile for every account and role your IAM Identity Center sign-in can use (ListAccounts and
ListAccountRoles, every page, paced at 8 calls a second with throttled calls retried, so 1,000 accounts
list in a few minutes). Printed as ~/.aws/config sections on stdout; with --write, the ones not yet in
the config are added to it (lossless, backed up to CONFIG.swrole-backup): running it again adds only what
is new, and a profile you edited is never touched. Sign in first (\`swrole login PROFILE\`); no prompt here.

The session: that of PROFILE's IAM Identity Center source, the [sso-session NAME] (--session), or a
legacy start URL and its region (--start-url, --region).

Options:
  --session NAME        the [sso-session NAME] whose accounts to list
  --start-url URL       a legacy sign-in's start URL (with --region)
  --region R            the region of that start URL
  --write               add the new profiles to the AWS config file instead of printing them
  --prefix P            put P before every profile name
  --template T          the profile name (default {account_name}.{role_name}; also {account_id},
                        {session}); spaces become -, other characters outside A-Z a-z 0-9 . _ - go
  --source-config FILE  read (and write) this AWS config file instead of ~/.aws/config

Examples:
  swrole sso profiles dev
  swrole sso profiles --session corp --write --prefix corp.
  swrole sso profiles --session corp --template '{account_id}-{role_name}'
`;

const PLACEHOLDER = /\{(account_name|account_id|role_name|session)\}/g;

/** PURE: the profile name of one assignment (collisions are settled by the caller). */
export function renderProfileName(template: string, prefix: string, a: SsoAssignment, session: string): string {
  const values: Record<string, string> = { account_name: a.accountName, account_id: a.accountId, role_name: a.roleName, session };
  const name = template.replace(PLACEHOLDER, (_, key: string) => values[key] ?? '');
  return `${prefix}${name}`
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '');
}

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('sso profiles', args, COMMANDS.sso.subcommands.profiles.options);
  if (positionals.length > 1) throw usageError('sso profiles', `unexpected argument "${positionals[1]}"`);
  const reporters = createReporters(deps, values.debug === true);
  const profile = resolveProfileArg('sso profiles', positionals[0], undefined);
  const chosen = [profile !== undefined, values.session !== undefined, values['start-url'] !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw usageError('sso profiles', 'give one of PROFILE, --session NAME or --start-url URL --region R');
  if ((values['start-url'] !== undefined) !== (values.region !== undefined))
    throw usageError('sso profiles', '--start-url and --region go together');
  const config = loadAwsConfig(deps, values['source-config'] ? { configFile: values['source-config'] } : {});
  let source: Pick<SsoSource, 'profile' | 'ssoSession' | 'startUrl' | 'ssoRegion'>;
  let login: string;
  let selected = '';
  if (profile !== undefined) {
    const plan = resolvePlan(config, profile, { region: null, env: deps.env });
    const first = plan.steps[0];
    if (first.kind !== 'sso')
      throw usageError('sso profiles', `profile "${profile}" does not use IAM Identity Center (no sso_session or sso_start_url)`);
    source = first;
    login = selected = profile;
  } else if (values.session !== undefined) {
    const { sessionSource } = await import('../../credentials/sso-listing.js');
    source = sessionSource(config, values.session);
    login = `--sso-session ${values.session}`;
  } else {
    source = { profile: values['start-url']!, ssoSession: null, startUrl: values['start-url']!, ssoRegion: values.region! };
    login = '(a profile with this sso_start_url)';
  }
  const { listAssignments } = await import('../../credentials/sso-listing.js');
  const started = performance.now();
  const { assignments, calls } = await listAssignments({
    deps,
    config,
    selected,
    login,
    stateDir: resolveSwroleDirs(deps.env, deps.homedir, deps.platform).cacheDir,
    source,
    debug: reporters.debug,
  });
  reporters.debug(`sso: ${calls} portal call(s) in ${Math.round(performance.now() - started)} ms`);
  const template = values.template ?? '{account_name}.{role_name}';
  const prefix = values.prefix ?? '';
  const taken = new Set<string>();
  const profiles: SetupProfile[] = [];
  for (const a of assignments) {
    let name = renderProfileName(template, prefix, a, source.ssoSession ?? '');
    if (name === '' || taken.has(name)) name = `${name}${name ? '-' : ''}${a.accountId}-${a.roleName}`.replace(/[^A-Za-z0-9._-]/g, '');
    taken.add(name);
    const entries: [string, string][] =
      source.ssoSession !== null
        ? [['sso_session', source.ssoSession]]
        : [
            ['sso_start_url', source.startUrl],
            ['sso_region', source.ssoRegion],
          ];
    entries.push(['sso_account_id', a.accountId], ['sso_role_name', a.roleName]);
    profiles.push({ name, entries });
  }
  if (values.write !== true) {
    deps.stdout.write(
      profiles.map((p) => `[${renderProfileHeader(p.name)}]\n${p.entries.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`).join('\n'),
    );
    deps.stderr.write(
      `swrole: ${profiles.length} profile(s) for ${assignments.length} assignment(s); --write adds them to ${config.configFile}\n`,
    );
    return 0;
  }
  const file = config.configFile;
  let added: string[] = [];
  let present = 0;
  const edit = await editFileSafely(
    file,
    (text) => {
      const doc = parseIniDocument(text ?? '', file);
      const fresh = profiles.filter((p) => findSection(doc, renderProfileHeader(p.name)) === undefined);
      present = profiles.length - fresh.length;
      const result = addProfilesToConfig(text ?? '', file, fresh);
      added = result.added;
      return added.length > 0 ? result.text : undefined;
    },
    {
      backupPath: `${file}.swrole-backup`,
      platform: deps.platform,
      owner: { pid: deps.pid, command: deps.invocation ?? 'swrole sso profiles', now: deps.now },
    },
  );
  deps.stderr.write(
    `swrole: added ${added.length} profile(s) to ${file}${present ? `; ${present} already there` : ''}${edit.backup ? ` (previous file kept as ${edit.backup})` : ''}\n`,
  );
  return 0;
}
