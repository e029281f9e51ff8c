/**
 * The profile picker of exec, env, use, login and console (issue 13): on a terminal, with no profile named and
 * none in AWS_PROFILE / AWS_DEFAULT_PROFILE, the person chooses one from a fuzzy-filtered list (profile, account,
 * role, region) instead of getting the default profile. Never without a terminal or inside an agent: there the
 * command goes on as before (the default profile, or its usage error). The picker's module is loaded only when
 * it opens.
 */
import type { Deps } from '../platform/deps.js';
import { SwroleError, usageError } from '../errors.js';
import type { AwsConfig } from '../config/types.js';
import { optionalString } from '../plan/profile-keys.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { nonEmpty } from '../config/setting-text.js';
import { summarizeProfile, type ProfileKind } from '../plan/summarize-profile.js';
import type { PickerRow } from '../output/picker-layout.js';
import type { CredentialFlags } from './credential-options.js';

/** `arn:aws:iam::111111111111:role/path/Admin` → `Admin`. */
function roleName(arn: string | null): string | null {
  const match = arn === null ? null : /:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1] ?? null;
}

/** What the role column says for a profile without a role. */
const KIND_LABELS: Record<ProfileKind, string> = {
  role: '',
  static: '(access keys)',
  keyring: '(keyring keys)',
  process: '(credential_process)',
  sso: '(IAM Identity Center)',
  webIdentity: '(web identity)',
  credentialSource: '(credential_source)',
  none: '',
  invalid: '(invalid: see swrole explain)',
};

/** One row per profile, in the files' order: the role's name (or the SSO role, or the profile's kind). */
export function pickerRows(config: AwsConfig): PickerRow[] {
  return [...config.profiles.values()].map((profile) => {
    const s = summarizeProfile(config, profile);
    const role = roleName(s.roleArn) ?? s.roleArn ?? optionalString(profile.values, 'sso_role_name') ?? KIND_LABELS[s.kind];
    return { profile: s.profile, account: s.account ?? '', role, region: s.region ?? '' };
  });
}

/** No profile named anywhere: neither the argument nor --profile, nor AWS_PROFILE / AWS_DEFAULT_PROFILE. */
export function noProfileNamed(env: Deps['env'], profile: string | undefined): boolean {
  return profile === undefined && nonEmpty(env.AWS_PROFILE) === undefined && nonEmpty(env.AWS_DEFAULT_PROFILE) === undefined;
}

/**
 * The profile the person picked, or undefined when no picker opens (a profile was named, or there is no terminal,
 * or an agent runs us, or there are no profiles). `required` (`env --pick`, which `swrole use` without a profile
 * runs): the picker opens even with AWS_PROFILE set, and not being able to open it is a usage error. Cancelling
 * (Ctrl-C, Esc) is E_INTERRUPTED: nothing was done.
 */
export async function pickProfile(deps: Deps, command: string, flags: CredentialFlags, required = false): Promise<string | undefined> {
  if (required && flags.profile !== undefined) throw usageError(command, '--pick chooses the profile: name none');
  if (!required && !noProfileNamed(deps.env, flags.profile)) return undefined;
  const cannot = (why: string) => {
    if (required) throw usageError(command, `choosing a profile (--pick) needs ${why}: name the profile instead`);
    return undefined;
  };
  if (deps.mayPick !== true || deps.openPickerTerminal === undefined)
    return cannot('a terminal (stdin and stderr) with a person at it, not an agent');
  const config = loadAwsConfig(deps, {
    ...(flags.sourceConfig ? { configFile: flags.sourceConfig } : {}),
    ...(flags.sourceCredentials ? { credentialsFile: flags.sourceCredentials } : {}),
  });
  const rows = pickerRows(config);
  if (rows.length === 0) return cannot(`a profile to choose from (none in ${config.configFile} or ${config.credentialsFile})`);
  const terminal = await deps.openPickerTerminal();
  if (terminal === undefined) return cannot('a terminal (stdin and stderr) with a person at it, not an agent');
  const { runPicker } = await import('../output/run-picker.js');
  // `--pick` is what `swrole use` runs: no command name there, `env` would puzzle whoever typed `use`.
  const row = await runPicker(terminal, rows, required ? 'choose a profile › ' : `swrole ${command}: choose a profile › `);
  if (row === undefined) {
    throw new SwroleError('E_INTERRUPTED', `${command}: cancelled at the profile picker; nothing was done`, {
      hint: `name the profile to skip the picker: swrole ${command} PROFILE`,
    });
  }
  const what = [row.account, row.role, row.region].filter((part) => part !== '').join(', ');
  deps.stderr.write(`swrole: profile "${row.profile}"${what === '' ? '' : ` (${what})`}\n`);
  return row.profile;
}
