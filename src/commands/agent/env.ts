import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { usageError } from '../../errors.js';
import { parseDuration } from '../credential-options.js';
import { resolveStateDir } from '../../platform/resolve-state-dir.js';
import { ENV_FORMATS, renderEnv, isEnvFormat } from '../../output/render-env.js';
import { readScopeFlags } from '../scope-options.js';
import { buildAgentView } from '../../agent/view/build-agent-view.js';
import { grantViewPaths, viewEnv } from '../../agent/view/agent-view-store.js';
import { COMMANDS } from '../../registry/command-registry.js';

export const help = `Usage: swrole agent env PROFILE... [--format sh|fish|pwsh|cmd|dotenv|json] [options]

For any agent or CI job: writes an AWS config of the agent's own under swrole's state dir (only the granted
profiles, credentials from \`swrole process\`, an empty credentials file) and prints the variables that point
a process at it: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE. No keys are printed.

Options:
  --format F          sh (default), fish, pwsh, cmd, dotenv, json
  --default PROFILE   AWS_PROFILE (else the first PROFILE)
  --agent NAME        the agent's name in SourceIdentity/session tags (default: agent)
  --read-only         session policy: the AWS managed ReadOnlyAccess policy
  --policy FILE       inline session policy (JSON, <= 2048 characters without whitespace)
  --duration D        role session length

Examples:
  eval "$(swrole agent env dev --read-only)"; codex
  swrole agent env dev --agent ci --format dotenv >> "$GITHUB_ENV"
`;

/** Keys in the environment would win over the profile (SDK precedence): unset (renderEnv leaves json and dotenv without unsets). */
const SHADOWING = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_DEFAULT_PROFILE',
  'AWS_CREDENTIAL_EXPIRATION',
];

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('agent env', args, COMMANDS.agent.subcommands.env.options);
  if (positionals.length === 0) throw usageError('agent env', 'name at least one profile to grant');
  const format = values.format ?? 'sh';
  if (!isEnvFormat(format)) throw usageError('agent env', `--format ${values.format}: use ${ENV_FORMATS.join(', ')}`);
  const agent = values.agent ?? 'agent';
  const scope = { ...readScopeFlags(values, deps.cwd), agent };
  const durationSeconds = values.duration === undefined ? undefined : parseDuration('agent env', values.duration);
  const stateDir = resolveStateDir(deps.env, deps.homedir, deps.platform);
  const { meta, paths } = buildAgentView(
    deps,
    {
      command: 'agent env',
      agent,
      mode: 'env',
      project: null,
      profiles: positionals,
      defaultProfile: values.default,
      scope,
      durationSeconds,
    },
    (grant) =>
      grantViewPaths(stateDir, {
        profiles: positionals,
        defaultProfile: grant.defaultProfile,
        scope,
        durationSeconds: durationSeconds ?? null,
        source: grant.source,
      }),
  );
  deps.stdout.write(renderEnv(Object.entries(viewEnv(paths, meta.defaultProfile)), SHADOWING, format));
  deps.stderr.write(
    `swrole: agent view ${paths.configFile} grants ${positionals.join(', ')}${scope.readOnly ? ' (read-only)' : ''}; run \`swrole login\` in your terminal when MFA is needed\n`,
  );
  return 0;
}
