import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { resolveProfileName } from '../config/resolve-selection.js';
import { resolvePlan } from '../plan/resolve-plan.js';
import { renderExplainJson, renderExplainText } from '../plan/render-explain.js';
import { reportConfigWarnings } from '../config/config-warning.js';
import { resolveProfileArg } from './credential-options.js';
import type { AwsConfig } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import { isSwroleError } from '../errors.js';
import { resolveUserName } from '../credentials/agent-scope.js';
import { planSourceSession } from '../credentials/plan-source-session.js';
import { COMMANDS } from '../registry/command-registry.js';
import { createWarner } from '../platform/warnings.js';
import { roleArnProblem } from '../plan/role-arn-problem.js';
import { commandLine } from '../platform/command-hint.js';

export const help = `Usage: swrole explain [PROFILE] [--profile PROFILE] [--region REGION] [--json]

Show how a profile resolves, from the credential source to the role, exactly as the AWS CLI
(botocore) would resolve it, and what exec/env/process hand out for it. Reads ~/.aws/config and
~/.aws/credentials; makes no AWS call.

Options:
  --profile P    the profile (same as the PROFILE argument; default AWS_PROFILE, AWS_DEFAULT_PROFILE, "default")
  --region R     the region to report (default AWS_REGION / AWS_DEFAULT_REGION, then the profile's region)
  --json         print the plan as JSON: {"profile", "region", "steps": [...]}
  -h, --help     show this help

Examples:
  swrole explain prod                  the chain of profile "prod", one line per step with file:line
  swrole explain --profile prod --json the same as JSON, for scripts
  AWS_PROFILE=dev swrole explain       the profile your AWS tools would use
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('explain', args, COMMANDS.explain.options);
  if (positionals.length > 1) throw usageError('explain', `expected at most one profile, got ${positionals.length}`);
  const profile = resolveProfileArg('explain', positionals[0], values.profile);
  const config = loadAwsConfig(deps);
  // Constructs the SDKs read differently: reported once each, on stderr, with file:line.
  reportConfigWarnings(config.warnings, deps.stderr);
  const name = resolveProfileName(deps.env, profile);
  const plan = resolvePlan(config, name, { region: values.region ?? null, env: deps.env });
  const warn = createWarner(deps.stderr);
  for (const step of plan.steps) {
    const problem = step.kind === 'assumeRole' ? roleArnProblem(step.roleArn) : undefined;
    if (problem !== undefined) warn(`profile "${step.profile}": ${problem}`);
  }
  deps.stdout.write(
    values.json
      ? renderExplainJson(plan)
      : `${renderExplainText(plan, config)}${renderHandout(config, plan, resolveUserName(deps.env, deps.osUserName))}`,
  );
  return 0;
}

/** The last line of the text view: what `exec`/`env`/`process` give a consumer (long-term keys never, issue 10). */
export function renderHandout(config: AwsConfig, plan: Plan, userName: string): string {
  if (plan.steps.length > 1) return '  → hands out: the role session of the last step (AssumeRole), cached and renewed\n';
  let text: string;
  try {
    const session = planSourceSession(config, plan, undefined, {}, userName);
    switch (session.kind) {
      case 'mfaSession':
        text = `the MFA session of ${session.serial} (GetSessionToken with MFA, \`${commandLine('swrole', 'login', plan.profile)}\`), never the long-term key`;
        break;
      case 'sessionToken':
        text = session.ifLongTerm
          ? 'what the credential_process returns; long-term keys only as a GetSessionToken session (1 h, cached)'
          : 'a GetSessionToken session (1 h, cached), never the long-term key (--no-session: the key itself)';
        break;
      case 'federation':
        text = `a GetFederationToken session with the profile's session policy (${session.request.durationSeconds} s, cached), never the long-term key`;
        break;
      case 'asIs':
        text = 'these credentials as they are (temporary)';
        break;
    }
    if (session.kind === 'mfaSession' || (session.kind === 'sessionToken' && !session.ifLongTerm))
      text += '; with --read-only/--policy a GetFederationToken session';
  } catch (error) {
    if (!isSwroleError(error)) throw error;
    text = `nothing: ${error.message}`;
  }
  return `  → hands out: ${text}\n`;
}
