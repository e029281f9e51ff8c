import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, checkRoleDuration, createReporters, readCredentialFlags } from './credential-options.js';
import { prepareRequest } from '../credentials/prepare-request.js';
import { getCredentials } from '../credentials/get-credentials.js';
import { createEngineContext } from '../credentials/create-engine-context.js';
import { getCallerIdentity } from '../credentials/caller-identity.js';
import { checkNoSession, readScopeFlags } from './scope-options.js';
import { isScoped } from '../credentials/agent-scope.js';
import { COMMANDS } from '../registry/command-registry.js';
import { environmentCredentials, environmentIdentity } from '../credentials/environment-identity.js';
import { nonEmpty } from '../config/setting-text.js';
import { formatExpiry } from '../output/format-expiry.js';
import type { Deps } from '../platform/deps.js';
type CallerIdentity = Awaited<ReturnType<typeof getCallerIdentity>>;

export const help = `Usage: swrole whoami [PROFILE] [--json] [options]

Call STS GetCallerIdentity and print the account, the ARN and when the credentials expire (local time).
With PROFILE: that profile's credentials (obtained or cached as for \`swrole exec\`).
Without PROFILE: the credentials this shell actually has, as an SDK would pick them, and says which:
the keys in the environment first (set by \`swrole use\` or \`swrole exec\`: SWROLE_PROFILE names the
profile), else AWS_PROFILE, else the default profile.

Options:
  --json                print {"Source", "Profile", "Account", "Arn", "UserId", "Expiration"} as JSON (Expiration in ISO UTC)
${CREDENTIAL_OPTIONS_HELP}
Examples:
  swrole whoami               (after \`swrole use prod\`: prod, from this shell's environment)
  swrole whoami prod
  swrole whoami prod --json | jq -r .Account
`;

/** Where the described credentials come from, as `--json` names it. */
type Source = 'argument' | 'environment' | 'AWS_PROFILE' | 'AWS_DEFAULT_PROFILE' | 'default';

interface Described {
  source: Source;
  profile: string | null;
  identity: CallerIdentity;
  expiration: string | null;
  temporary: boolean;
}

function describeSource(source: Source, profile: string | null, env: Deps['env']): string {
  switch (source) {
    case 'argument':
      return 'the profile named on the command line';
    case 'environment': {
      const note = nonEmpty(env.AWS_PROFILE) ? ` (AWS_PROFILE=${env.AWS_PROFILE} is set too, but SDKs use these keys first)` : '';
      return profile === null
        ? `keys in this shell's environment (AWS_ACCESS_KEY_ID…), not set by swrole${note}`
        : `keys in this shell's environment, set by swrole for "${profile}" (SWROLE_PROFILE)${note}`;
    }
    case 'AWS_PROFILE':
    case 'AWS_DEFAULT_PROFILE':
      return `${source} (no keys in the environment)`;
    case 'default':
      return 'the default profile (no keys in the environment, no AWS_PROFILE)';
  }
}

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('whoami', args, COMMANDS.whoami.options);
  if (positionals.length > 1) throw usageError('whoami', `unexpected argument "${positionals[1]}"`);
  const flags = readCredentialFlags('whoami', values, positionals[0]);
  const reporters = createReporters(deps, flags.debug);
  // --read-only / --policy / --agent select the scoped session (its own cache entry), as for process/env/exec.
  const scope = readScopeFlags(values, deps.cwd);
  checkNoSession('whoami', flags.noSession, scope);
  const envCredentials = environmentCredentials(deps.env);
  // Options that shape a session only make sense for a profile; without one, they select the profile path.
  const shaped = isScoped(scope) || flags.durationSeconds !== undefined || flags.mfaCode !== undefined || flags.noSession;
  let described: Described;
  if (flags.profile === undefined && envCredentials !== undefined && !shaped) {
    const identity = await environmentIdentity(deps, envCredentials, reporters.debug);
    described = {
      source: 'environment',
      profile: nonEmpty(deps.env.SWROLE_PROFILE) ?? null,
      identity,
      expiration: envCredentials.expiration ?? null,
      temporary: envCredentials.sessionToken !== undefined,
    };
  } else {
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
    const source: Source =
      flags.profile !== undefined
        ? 'argument'
        : nonEmpty(deps.env.AWS_PROFILE)
          ? 'AWS_PROFILE'
          : nonEmpty(deps.env.AWS_DEFAULT_PROFILE)
            ? 'AWS_DEFAULT_PROFILE'
            : 'default';
    const expiration = result.credentials.expiration ?? null;
    described = { source, profile: prepared.plan.profile, identity, expiration, temporary: result.credentials.sessionToken !== undefined };
  }
  const { source, profile, identity, expiration } = described;
  if (values.json === true) {
    const out = {
      Source: source,
      Profile: profile,
      Account: identity.account,
      Arn: identity.arn,
      UserId: identity.userId,
      Expiration: expiration,
    };
    deps.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const expiry = expiration
    ? formatExpiry(expiration, deps.now(), deps.timeZone)
    : described.temporary
      ? 'unknown (temporary credentials without AWS_CREDENTIAL_EXPIRATION)'
      : 'never (long-term keys)';
  const lines = [
    ...(source === 'argument' ? [] : [['source', describeSource(source, profile, deps.env)]]),
    ['profile', profile ?? '-'],
    ['account', identity.account],
    ['arn', identity.arn],
    ['expiration', expiry],
  ];
  deps.stdout.write(lines.map(([k, v]) => `${k!.padEnd(12)}${v}\n`).join(''));
  return 0;
}
