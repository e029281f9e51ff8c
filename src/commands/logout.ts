import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { createReporters, resolveProfileArg } from './credential-options.js';
import { preparePlan } from '../credentials/prepare-request.js';
import { forgetAllSessions, forgetPlanSessions } from '../credentials/forget-sessions.js';
import { COMMANDS } from '../registry/command-registry.js';

export const help = `Usage: swrole logout [PROFILE | --all]

Remove cached sessions: for PROFILE, its role sessions and the MFA session of its source identity
(which every role behind that identity shares); with --all, every session swrole has cached. Either form
also removes the temp files that writers killed mid-write left in the cache.

Options:
  --all                 remove every cached session
  --profile NAME        same as PROFILE
  --source-config FILE  read this AWS config file instead of ~/.aws/config

Examples:
  swrole logout prod
  swrole logout --all
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('logout', args, COMMANDS.logout.options);
  if (positionals.length > 1) throw usageError('logout', `unexpected argument "${positionals[1]}"`);
  const profile = resolveProfileArg('logout', positionals[0], values.profile);
  const reporters = createReporters(deps, values.debug === true);
  if (values.all === true) {
    if (profile !== undefined) throw usageError('logout', 'give either PROFILE or --all, not both');
    const { removed, cacheDir } = forgetAllSessions(deps, reporters.warn);
    deps.stderr.write(`swrole: removed ${removed} cached session(s) from ${cacheDir}\n`);
    return 0;
  }
  // Only the plan is needed (which profiles' sessions to drop), not the STS endpoint: a profile that cannot
  // reach STS any more (say its region was removed) can still be logged out.
  const { config, plan } = preparePlan(deps, { profile, sourceConfig: values['source-config'] });
  // With the config: also the MFA session this user's other source profiles may have stored (they share it).
  const { removed, profiles } = forgetPlanSessions(deps, plan, reporters.warn, config);
  deps.stderr.write(`swrole: removed ${removed} cached session(s) for profile "${plan.profile}" (${profiles.join(' → ')})\n`);
  return 0;
}
