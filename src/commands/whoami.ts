import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, checkRoleDuration, createReporters, formatRemaining, readCredentialFlags } from './credential-options.js';
import { prepareRequest } from '../credentials/prepare-request.js';
import { getCredentials } from '../credentials/get-credentials.js';
import { createEngineContext } from '../credentials/create-engine-context.js';
import { getCallerIdentity } from '../credentials/caller-identity.js';
import { checkNoSession, readScopeFlags } from './scope-options.js';
import { COMMANDS } from '../registry/command-registry.js';

export const help = `Usage: swrole whoami [PROFILE] [--json] [options]

Call STS GetCallerIdentity with the profile's credentials and print the account, the ARN and when the
credentials expire. Without PROFILE: AWS_PROFILE, else default.

Options:
  --json                print {"Account", "Arn", "UserId", "Expiration", "Profile"} as JSON
${CREDENTIAL_OPTIONS_HELP}
Examples:
  swrole whoami prod
  swrole whoami prod --json | jq -r .Account
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('whoami', args, COMMANDS.whoami.options);
  if (positionals.length > 1) throw usageError('whoami', `unexpected argument "${positionals[1]}"`);
  const flags = readCredentialFlags('whoami', values, positionals[0]);
  const reporters = createReporters(deps, flags.debug);
  // --read-only / --policy / --agent select the scoped session (its own cache entry), as for process/env/exec.
  const scope = readScopeFlags(values, deps.cwd);
  checkNoSession('whoami', flags.noSession, scope);
  const prepared = prepareRequest(deps, { ...flags, scope }, reporters.warn);
  checkRoleDuration('whoami', prepared.plan.steps.length > 1, flags.durationSeconds);
  const request = {
    durationSeconds: flags.durationSeconds,
    mfaCode: flags.mfaCode,
    noCache: flags.noCache,
    noSession: flags.noSession,
    allowPrompt: true,
  };
  const result = await getCredentials(deps, prepared, request, reporters);
  const identity = await getCallerIdentity(createEngineContext(deps, prepared, request, reporters), result.credentials);
  const expiration = result.credentials.expiration ?? null;
  if (values.json === true) {
    const out = {
      Profile: prepared.plan.profile,
      Account: identity.account,
      Arn: identity.arn,
      UserId: identity.userId,
      Expiration: expiration,
    };
    deps.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    deps.stdout.write(
      `profile     ${prepared.plan.profile}\naccount     ${identity.account}\narn         ${identity.arn}\n` +
        `expiration  ${expiration ? `${expiration} (${formatRemaining(expiration, deps.now())} left)` : 'never (long-term keys)'}\n`,
    );
  }
  return 0;
}
