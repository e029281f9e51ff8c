import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { usageError } from '../../errors.js';
import { createReporters, parseDuration } from '../credential-options.js';
import { resolveSwroleDirs } from '../../platform/resolve-state-dir.js';
import { createWarner } from '../../platform/warnings.js';
import { ENV_FORMATS, renderEnv, isEnvFormat } from '../../output/render-env.js';
import { readScopeFlags } from '../scope-options.js';
import { buildAgentView } from '../../agent/view/build-agent-view.js';
import { grantViewPaths, SHADOWING_KEYS, viewEnv } from '../../agent/view/agent-view-store.js';
import { viewProfileName } from '../../agent/view/render-agent-view.js';
import { probeGrants } from '../../agent/view/probe-grants.js';
import { renderProbe } from './render-probe.js';
import { COMMANDS } from '../../registry/command-registry.js';

export const help = `Usage: swrole agent env PROFILE... [--format sh|fish|pwsh|cmd|dotenv|json] [options]

For any agent or CI job: writes an AWS config of the agent's own under swrole's state dir (only the granted
profiles, each under its name and a view-only PROFILE@agent, credentials from \`swrole process\`, an empty
credentials file) and prints the variables that point a process at it: AWS_CONFIG_FILE,
AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE and AWS_DEFAULT_PROFILE (PROFILE@agent), and the key variables unset
(sh, fish, pwsh, cmd) or blank (dotenv, json), so keys already in the environment cannot win. No keys are
printed. Each granted profile is issued once first, exactly as the agent will get it: a grant that cannot work
fails here. Run it in your own terminal: inside an agent it refuses.

Options:
  --format F          sh (default), fish, pwsh, cmd, dotenv, json
  --default PROFILE   AWS_PROFILE (else the first PROFILE)
  --agent NAME        the agent's name in SourceIdentity/session tags (default: agent)
  --read-only         session policy: the AWS managed ReadOnlyAccess policy
  --policy FILE       inline session policy (JSON, <= 2048 characters without whitespace)
  --duration D        role session length

Examples:
  eval "$(swrole agent env dev --read-only --agent codex)"; codex
  swrole agent env dev --agent ci --format dotenv >> "$GITHUB_ENV"
  swrole agent env dev --agent gemini --format dotenv >> .gemini/.env   (read the notes it prints)
`;

/**
 * Gemini CLI's loading of a dotenv file (docs/reference/claude-code-observed.md §5, read from its 0.61.0 bundle):
 * what a user writing `.gemini/.env` must know, said where the file is made.
 */
const GEMINI_DOTENV_CAVEATS = [
  'for Gemini CLI (.gemini/.env): it loads that file only in a trusted folder (in an untrusted one no AWS_* variable is loaded)',
  "Gemini CLI loads only the first env file it finds walking up from the working directory (.gemini/.env, then .env, in each folder): a new .gemini/.env hides the project's .env (and a GEMINI_API_KEY in it): copy what you need from .env into it",
  'Gemini CLI never overrides a variable already set in the shell that starts it: exported keys or AWS_PROFILE there win over this file, so start it from a clean shell (or eval "$(swrole agent env ...)" first)',
];

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('agent env', args, COMMANDS.agent.subcommands.env.options);
  if (positionals.length === 0) throw usageError('agent env', 'name at least one profile to grant');
  const format = values.format ?? 'sh';
  if (!isEnvFormat(format)) throw usageError('agent env', `--format ${values.format}: use ${ENV_FORMATS.join(', ')}`);
  const agent = values.agent ?? 'agent';
  const scope = { ...readScopeFlags(values, deps.cwd), agent };
  const durationSeconds = values.duration === undefined ? undefined : parseDuration('agent env', values.duration);
  const warn = createWarner(deps.stderr);
  // Obtain first: the request the view's credential_process will make, never a prompt; a grant that cannot work
  // fails before the view is written or anything is printed.
  const probes = await probeGrants(
    deps,
    { command: 'agent env', profiles: positionals, scope, durationSeconds },
    createReporters(deps, false),
  );
  // Created or verified where the view is written (agent-view-store.ts), so a failure names the view.
  const { stateDir } = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
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
    warn,
  );
  const vars = Object.entries(viewEnv(paths, viewProfileName(meta.defaultProfile)));
  // A shell can unset the key variables; json and dotenv cannot, so they carry them blank ("" counts as unset).
  const canUnset = format !== 'json' && format !== 'dotenv';
  const keys: readonly string[] = SHADOWING_KEYS;
  deps.stdout.write(renderEnv(canUnset ? vars.filter(([name]) => !keys.includes(name)) : vars, canUnset ? keys : [], format));
  deps.stderr.write(
    `swrole: agent view ${paths.configFile} grants ${positionals.join(', ')}${scope.readOnly ? ' (read-only)' : ''} as AWS_PROFILE=${viewProfileName(meta.defaultProfile)}\n`,
  );
  for (const probe of probes) deps.stderr.write(`swrole:   ${renderProbe(probe, deps.now())}\n`);
  if (format === 'dotenv') for (const caveat of GEMINI_DOTENV_CAVEATS) deps.stderr.write(`swrole: note: ${caveat}\n`);
  return 0;
}
