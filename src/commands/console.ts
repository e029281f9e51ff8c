import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { SwroleError, usageError } from '../errors.js';
import { CREDENTIAL_OPTIONS_HELP, createReporters, readCredentialFlags } from './credential-options.js';
import { COMMANDS } from '../registry/command-registry.js';
import { readScopeFlags } from './scope-options.js';
import { prepareRequest } from '../credentials/prepare-request.js';
import { obtainConsoleCredentials, type ConsoleCredentials } from '../credentials/console-credentials.js';
import { auditIssuance } from '../credentials/audit-issuance.js';
import { detectAgent } from '../agent/detect-agent.js';
import { federationUrl, resolveSigninEndpoint } from '../console/signin-endpoint.js';
import { isConsoleService, renderLoginUrl, resolveDestination } from '../console/login-url.js';
import { requestSigninToken } from '../console/request-signin-token.js';
import { openBrowser } from '../console/open-browser.js';
import { pickProfile } from './pick-profile.js';

export const help = `Usage: swrole console [PROFILE] [--print] [--destination URL | --service NAME] [--region R] [--duration D] [options]

Open the AWS console signed in as the profile's role, in your browser (SWROLE_BROWSER, else BROWSER, else
the system's opener), or print the sign-in URL with --print. The URL signs in whoever opens it within 15
minutes: treat it as a password.

- A role profile signs in with its role session (cached, MFA as for exec).
- An IAM user's long-term keys first get a GetFederationToken session (named after the user, with an
  allow-all policy, so the console has exactly the user's permissions; no MFA context).
- A profile whose credentials are a GetSessionToken session cannot sign in (AWS refuses those): use a role.
Inside an AI agent swrole never opens a browser: it refuses unless --print is given.
Without PROFILE (and no AWS_PROFILE) on a terminal, a profile picker opens: type to filter, Enter to pick,
Esc or Ctrl-C to cancel. Elsewhere: the default profile.

Options:
  --print               print the sign-in URL on stdout (nothing else) instead of opening a browser
  --destination URL     where the session lands (an https URL; default: the console home of the region)
  --service NAME        land on a service's console page (s3, ec2, cloudwatch, iam, ...)
  --duration D          console session length: for a role 15m–12h (at most 1h for a role reached with
                        temporary credentials: a chain or an MFA session); for an IAM user the
                        GetFederationToken duration, 15m–36h (default 1h)
${CREDENTIAL_OPTIONS_HELP.replace(/^ {2}--duration .*\n/m, '').replace(/^ {2}--no-session .*\n(?: {24}.*\n)*/m, '')}
Examples:
  swrole console prod
  swrole console prod --service s3 --region eu-west-1
  swrole console prod --print                          (copy the URL into another browser profile)
`;

/** Console sessions: 15 min to 12 h; an IAM user's GetFederationToken session: 15 min to 36 h (STS API reference). */
const SESSION_RANGE = [900, 43_200] as const;
const FEDERATION_RANGE = [900, 129_600] as const;
const CHAINED_MAX_SECONDS = 3600;
const DEFAULT_FEDERATION_SECONDS = 3600;

function inRange(seconds: number, [min, max]: readonly [number, number]): number {
  if (seconds < min || seconds > max) throw usageError('console', `--duration ${seconds}s: use ${min / 60}m to ${max / 3600}h here`);
  return seconds;
}

/** SessionDuration for getSigninToken: never for GetFederationToken sessions (C.1), at most 1 h for chained roles. */
function sessionDuration(creds: ConsoleCredentials, duration: number | undefined, notice: (m: string) => void): number | undefined {
  if (creds.kind === 'federated' || duration === undefined) return undefined;
  inRange(duration, SESSION_RANGE);
  if (creds.temporaryCaller && duration > CHAINED_MAX_SECONDS) {
    notice(`console session capped at 1 h (asked for ${duration} s): the role was assumed with temporary credentials`);
    return CHAINED_MAX_SECONDS;
  }
  return duration;
}

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('console', args, COMMANDS.console.options);
  if (positionals.length > 1) throw usageError('console', `unexpected argument "${positionals[1]}"`);
  const { destination, service } = values;
  if (destination !== undefined && service !== undefined) throw usageError('console', '--destination and --service exclude each other');
  if (destination !== undefined && !/^https:\/\/[^/\s]+/.test(destination))
    throw usageError('console', `--destination must be an https URL`);
  if (service !== undefined && !isConsoleService(service))
    throw usageError('console', `--service ${JSON.stringify(service)}: a console service name such as s3`);
  const print = values.print === true;
  const agent = detectAgent(deps.env);
  if (agent !== undefined && !print) {
    throw new SwroleError('E_CONSOLE_AGENT', `console: not opening a browser inside ${agent}`, {
      hint: 'run `swrole console PROFILE` in your own terminal, or pass --print to get the sign-in URL (valid 15 minutes: it signs in whoever opens it)',
    });
  }
  const flags = readCredentialFlags('console', values, positionals[0]);
  const picked = await pickProfile(deps, 'console', flags);
  if (picked !== undefined) flags.profile = picked;
  const reporters = createReporters(deps, flags.debug);
  const scope = readScopeFlags(values, deps.cwd);
  const prepared = prepareRequest(deps, { ...flags, scope }, reporters.warn);
  // Checked before any STS call: a role's console session, or an IAM user's GetFederationToken duration.
  if (flags.durationSeconds !== undefined)
    inRange(flags.durationSeconds, prepared.plan.steps.length > 1 ? SESSION_RANGE : FEDERATION_RANGE);
  // Before any STS call: a region without a console fails here.
  const endpoint = resolveSigninEndpoint(prepared.plan.region);
  const federation = federationUrl(endpoint, deps.env);
  const creds = await obtainConsoleCredentials(
    deps,
    prepared,
    // --duration is the console session's, not the role's: the role session comes from the cache as for exec.
    { mfaCode: flags.mfaCode, noCache: flags.noCache, allowPrompt: true },
    reporters,
    { federationSeconds: flags.durationSeconds ?? DEFAULT_FEDERATION_SECONDS, scope },
  );
  const signinToken = await requestSigninToken({
    federation,
    credentials: creds.credentials,
    sessionDurationSeconds: sessionDuration(creds, flags.durationSeconds, reporters.notice),
    profile: prepared.plan.profile,
  });
  reporters.debug(`console: ${creds.kind} session ${creds.arn}; sign-in token from ${new URL(federation).host}`);
  if (!auditIssuance(deps, prepared, 'console', scope, { hit: false })) reporters.debug('audit: could not append to the audit log');
  const url = renderLoginUrl(federation, resolveDestination(endpoint, prepared.plan.region, { destination, service }), signinToken);
  if (print) {
    deps.stdout.write(`${url}\n`);
    return 0;
  }
  const opener = await openBrowser(url, deps.env, deps.platform);
  deps.stderr.write(`swrole: opened the AWS console as ${creds.arn} (${opener})\n`);
  return 0;
}
