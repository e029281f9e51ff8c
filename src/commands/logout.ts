import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { createReporters, resolveProfileArg } from './credential-options.js';
import { preparePlan } from '../credentials/prepare-request.js';
import { forgetAllSessions, forgetPlanSessions } from '../credentials/forget-sessions.js';
import { COMMANDS } from '../registry/command-registry.js';
import { resolveSwroleDirs } from '../platform/resolve-state-dir.js';

export const help = `Usage: swrole logout [PROFILE | --all]

Remove cached sessions: for PROFILE, its role sessions and the MFA session of its source identity
(which every role behind that identity shares); with --all, every session swrole has cached. Either form
also removes the temp files that writers killed mid-write left in the cache.

IAM Identity Center: for a profile whose source is SSO, logout also signs out of its session (the portal's
Logout, then the token file in ~/.aws/sso/cache and every role session cached from it); --all signs out of
every session in ~/.aws/sso/cache and removes the AWS CLI's cached SSO role credentials, as
\`aws sso logout\` does. Client registrations stay, so the next sign-in reuses them.

Options:
  --all                 remove every cached session
  --profile NAME        same as PROFILE
  --source-config FILE  read this AWS config file instead of ~/.aws/config

Examples:
  swrole logout prod
  swrole logout dev-sso       (signs out of its IAM Identity Center session too)
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
    const { logoutAllSso } = await import('../credentials/sso-logout.js');
    const sso = await logoutAllSso({ deps, stateDir: cacheDir, warn: reporters.warn, debug: reporters.debug });
    if (sso.signedOut.length > 0 || sso.cliCredentials > 0)
      deps.stderr.write(
        `swrole: signed out of ${sso.signedOut.length} IAM Identity Center session(s)${describeSignOuts(sso.signedOut)}` +
          `; removed ${sso.cliCredentials} AWS CLI SSO credential file(s)\n`,
      );
    return 0;
  }
  // Only the plan is needed (which profiles' sessions to drop), not the STS endpoint: a profile that cannot
  // reach STS any more (say its region was removed) can still be logged out.
  const { config, plan } = preparePlan(deps, { profile, sourceConfig: values['source-config'] });
  const source = plan.steps[0];
  let ssoToken: string | undefined;
  if (source.kind === 'sso') {
    const { logoutSsoSource } = await import('../credentials/sso-logout.js');
    const { cacheDir } = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
    const out = await logoutSsoSource(
      { deps, config, stateDir: cacheDir, warn: reporters.warn, debug: reporters.debug },
      plan.profile,
      source,
    );
    if (out === undefined) deps.stderr.write(`swrole: not signed in to IAM Identity Center ${source.ssoSession ?? source.startUrl}\n`);
    else {
      ssoToken = out.tokenKey;
      deps.stderr.write(`swrole: signed out of IAM Identity Center ${source.ssoSession ?? source.startUrl}${describeSignOuts([out])}\n`);
    }
  }
  // With the config: also the MFA session this user's other source profiles may have stored (they share it).
  const { removed, profiles } = forgetPlanSessions(deps, plan, reporters.warn, config, ssoToken);
  deps.stderr.write(`swrole: removed ${removed} cached session(s) for profile "${plan.profile}" (${profiles.join(' → ')})\n`);
  return 0;
}

/** ` (1 portal sign-out failed)`: what did not reach the portal (the files are gone either way). */
function describeSignOuts(list: readonly { portal: 'ok' | 'expired' | 'failed' }[]): string {
  const failed = list.filter((s) => s.portal === 'failed').length;
  return failed > 0 ? ` (${failed} not confirmed by the portal)` : '';
}
