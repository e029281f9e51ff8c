import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import {
  CREDENTIAL_OPTIONS,
  CREDENTIAL_OPTIONS_HELP,
  createReporters,
  formatRemaining,
  readCredentialFlags,
} from './credential-options.js';
import { prepareRequest } from '../credentials/prepare-request.js';
import { createEngineContext } from '../credentials/get-credentials.js';
import { planHops } from '../credentials/plan-strategy.js';
import { readScopeFlags } from './scope-options.js';
import { refuseInsideAgent } from '../agent/detect-agent.js';

export const help = `Usage: swrole login [PROFILE] [--duration D] [--force] [options]

The MFA step, done once by a person: GetSessionToken with MFA for the profile's source identity (the IAM
user behind source_profile), cached for 12 h by default. Every role behind that identity is then
assumed with it, without further prompts, until it expires (roles are renewed silently every hour).
Then the profile's role is fetched, so \`swrole process\` and agents find it ready.

Options:
  --duration D          MFA session length (900 s to 36 h; default 12 h or swrole_mfa_session_duration)
  --force               start a new MFA session even if one is still valid
${CREDENTIAL_OPTIONS_HELP.replace(/^  --duration .*\n/m, '')}
Examples:
  swrole login prod
  swrole login prod --duration 36h
  swrole login prod --mfa-code 123456
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  refuseInsideAgent('login', deps.env);
  const { values, positionals } = parseOptions('login', args, { ...CREDENTIAL_OPTIONS, force: { type: 'boolean' } });
  if (positionals.length > 1) throw usageError('login', `unexpected argument "${positionals[1]}"`);
  const flags = readCredentialFlags('login', values, positionals[0]);
  const reporters = createReporters(deps, flags.debug);
  // --read-only / --policy / --agent select the scoped session (its own cache entry), as for process/env/exec.
  const prepared = prepareRequest(deps, { ...flags, scope: readScopeFlags(values, deps.cwd) }, reporters.warn);
  const ctx = createEngineContext(
    deps,
    prepared,
    {
      mfaSessionSeconds: flags.durationSeconds,
      mfaCode: flags.mfaCode,
      noCache: flags.noCache,
      allowPrompt: true,
    },
    reporters,
  );
  const { obtainCredentials, obtainMfaSession } = await import('../credentials/obtain-credentials.js');
  const first = planHops(prepared.config, prepared.plan, undefined)[0];
  const now = deps.now();
  if (first?.mfa === 'session') {
    const mfa = await obtainMfaSession(ctx, first, values.force === true);
    const until = mfa.session.credentials.expiration;
    deps.stderr.write(
      `swrole: ${mfa.hit ? 'MFA session still valid' : 'MFA session started'} for ${first.step.mfaSerial} (source profile "${prepared.plan.steps[0].profile}")` +
        ` until ${until ?? '?'} (${formatRemaining(until, now)} left)\n`,
    );
  } else if (first === undefined || first.step.mfaSerial === null) {
    deps.stderr.write(`swrole: profile "${prepared.plan.profile}" needs no MFA; fetching its credentials\n`);
  }
  const result = await obtainCredentials(ctx);
  const who =
    typeof result.session?.meta.assumedRoleArn === 'string' ? result.session.meta.assumedRoleArn : `profile "${prepared.plan.profile}"`;
  const until = result.credentials.expiration;
  deps.stderr.write(
    `swrole: ${who} ready${until ? ` until ${until} (${formatRemaining(until, now)} left)` : ''}${result.hit ? ' (cached)' : ''}\n`,
  );
  return 0;
}
