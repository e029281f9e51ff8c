import { resolve } from 'node:path';
import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { usageError } from '../../errors.js';
import { createReporters, parseDuration } from '../credential-options.js';
import { formatExpiry } from '../../output/format-expiry.js';
import { resolveStateDir } from '../../platform/resolve-state-dir.js';
import { createClaudeSettingsEditor, type SettingsHook } from '../../agent/claude/edit-claude-settings.js';
import { bedrockWarning, scrubWarning } from '../../agent/claude/agent-env-warnings.js';
import { createRunGit } from '../../integrations/git-ignore.js';
import { renderCredentialProcessCommand } from '../../integrations/credential-process-command.js';
import { prepareRequest } from '../../credentials/prepare-request.js';
import { getCredentials } from '../../credentials/get-credentials.js';
import { credentialEnv } from '../../output/env-vars.js';
import { renderEnv } from '../../output/render-env.js';
import { readScopeFlags } from '../scope-options.js';
import { auditIssuance } from '../../credentials/audit-issuance.js';
import { buildAgentView, resolveViewGrant } from '../../agent/view/build-agent-view.js';
import { projectViewPaths, readAgentViewMeta, removeAgentView, viewEnv, writeAgentViewFile } from '../../agent/view/agent-view-store.js';
import { createWarner } from '../../platform/warnings.js';
import { COMMANDS } from '../../registry/command-registry.js';

export const help = `Usage: swrole agent claude PROFILE... [options]

Gives Claude Code in a project the granted profiles, without keys and without MFA prompts. Run it in your
own terminal after \`swrole login\`. Nothing secret is written into the project (except with --mode keys).

Modes (--mode):
  view       (default) writes an AWS config of the agent's own under swrole's state dir, holding only the
             granted profiles, each with credential_process = swrole process PROFILE ..., and sets
             AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE (an empty file), AWS_PROFILE in
             <project>/.claude/settings.local.json "env" (merged, git-ignored, backed up)
  env-file   the same view, exported by a SessionStart hook into CLAUDE_ENV_FILE (prints the hook entry;
             --install writes it into settings.local.json "hooks")
  keys       fresh role keys + AWS_CREDENTIAL_EXPIRATION in "env": visible to the model, dead at expiry

Options:
  --default PROFILE   AWS_PROFILE inside the agent (else the first PROFILE)
  --read-only         session policy: the AWS managed ReadOnlyAccess policy
  --policy FILE       inline session policy (JSON, <= 2048 characters without whitespace)
  --duration D        role session length (900 s minimum; 1 h at most for MFA-session roles)
  --dir PROJECT       the project (default: the current directory)
  --guard             add a PreToolUse hook (matcher Bash) running \`swrole agent guard --allow PROFILES\`
  --statusline        add a statusLine running \`swrole agent statusline\` (refused if you have your own)
  --install           env-file mode: add the SessionStart hook instead of printing it
  --remove            undo: take back exactly what swrole added and delete the view

Hooks and the statusLine go after your own entries, which are never touched. Re-running with the same flags
changes nothing; without --guard/--statusline/--install, swrole takes back the entries it added earlier.

Every session of the agent carries SourceIdentity and the session tag swrole:agent=claude where the role's trust
policy allows sts:SetSourceIdentity / sts:TagSession (dropped with one warning where it does not; see
swrole_agent_tags and swrole_source_identity = off|auto|required). A profile of long-term keys gives the agent
a session of them, never the keys: GetSessionToken, or GetFederationToken with --read-only/--policy.
`;

const MODES = ['view', 'env-file', 'keys'] as const;
type Mode = (typeof MODES)[number];

/** What a `remove` edit took back, as the messages name it. */
function takenBack(
  record: { entries: Array<{ key: string }>; hooks?: Array<{ event: string }> | undefined; statusLine?: unknown } | undefined,
): string[] {
  return [
    ...(record?.entries.map((e) => `env.${e.key}`) ?? []),
    ...(record?.hooks?.map((h) => `a ${h.event} hook`) ?? []),
    ...(record?.statusLine ? ['statusLine'] : []),
  ];
}

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('agent claude', args, COMMANDS.agent.subcommands.claude.options);
  const project = resolve(deps.cwd, values.dir ?? '.');
  const stateDir = resolveStateDir(deps.env, deps.homedir, deps.platform);
  const warn = createWarner(deps.stderr);
  const editor = createClaudeSettingsEditor({
    now: deps.now,
    warn,
    stateDir,
    platform: deps.platform,
    runGit: createRunGit(deps.env),
    pid: deps.pid,
    command: deps.invocation ?? 'swrole agent claude',
  });
  const paths = projectViewPaths(stateDir, project);

  if (values.remove) {
    const result = await editor.edit(project, { kind: 'remove' });
    const hadView = removeAgentView(paths);
    const taken = takenBack(result.record);
    deps.stderr.write(
      `swrole: ${taken.length ? `removed ${taken.join(', ')} from ${result.file}` : `nothing of swrole's in ${result.file}`}${hadView ? `; deleted the agent view ${paths.dir}` : ''}\n`,
    );
    return 0;
  }
  if (positionals.length === 0) throw usageError('agent claude', 'name at least one profile to grant');
  const mode = (values.mode ?? 'view') as Mode;
  if (!MODES.includes(mode)) throw usageError('agent claude', `--mode ${values.mode}: use view, env-file or keys`);
  const scope = { ...readScopeFlags(values, deps.cwd), agent: 'claude' };
  const durationSeconds = values.duration === undefined ? undefined : parseDuration('agent claude', values.duration);
  for (const w of [bedrockWarning(deps.env), scrubWarning(deps.env)]) if (w) warn(w);

  const viewRequest = {
    command: 'agent claude',
    agent: 'claude',
    mode,
    project,
    profiles: positionals,
    defaultProfile: values.default,
    scope,
    durationSeconds,
  };
  // Obtain first, edit second (issue 13): keys mode that cannot get its keys (no MFA session, STS down) fails
  // before anything is touched, leaving the previous mode's settings and view working.
  let keys: { env: Record<string, string>; expiration: string | undefined } | undefined;
  if (mode === 'keys') {
    const reporters = createReporters(deps, false);
    const prepared = prepareRequest(deps, { profile: resolveViewGrant(deps, viewRequest).defaultProfile, scope }, reporters.warn);
    const result = await getCredentials(deps, prepared, { durationSeconds, allowPrompt: deps.interactive }, reporters);
    auditIssuance(deps, prepared, 'agent claude --mode keys', scope, result);
    keys = {
      env: Object.fromEntries(
        credentialEnv(result.credentials, { region: prepared.plan.region }).filter(([k]) => !k.startsWith('SWROLE_')),
      ),
      expiration: result.credentials.expiration,
    };
  }

  // Switching modes: take back the previous mode's settings, so no stale keys or paths linger, and say what went
  // (a guard or statusLine asked for again is added back below, and the final line lists it).
  const previous = readAgentViewMeta(paths);
  if (previous !== undefined && previous.mode !== mode) {
    const removed = takenBack((await editor.edit(project, { kind: 'remove' })).record);
    deps.stderr.write(
      `swrole: switching ${project} from ${previous.mode} mode to ${mode}: ${removed.length ? `removed ${removed.join(', ')}` : 'nothing of the previous mode was left to remove'}\n`,
    );
  }

  const { meta } = buildAgentView(deps, viewRequest, () => paths);
  const vars = viewEnv(paths, meta.defaultProfile);
  const self = (...rest: string[]) => renderCredentialProcessCommand(deps.nodePath, deps.selfPath, rest);
  // Hook commands and the statusLine call this swrole by absolute paths, quoted for the `sh -c` Claude Code runs them with.
  const hooks: SettingsHook[] = [];
  if (values.guard)
    hooks.push({
      event: 'PreToolUse',
      group: { matcher: 'Bash', hooks: [{ type: 'command', command: self('agent', 'guard', '--allow', positionals.join(',')) }] },
    });
  const sessionHook: SettingsHook = {
    event: 'SessionStart',
    group: { hooks: [{ type: 'command', command: self('agent', 'env-file-hook') }] },
  };
  if (mode === 'env-file' && values.install) hooks.push(sessionHook);
  const statusLine = values.statusline ? { statusLine: { type: 'command', command: self('agent', 'statusline') } } : {};
  const extras = [...hooks.map((h) => `${h.event} hook`), ...(values.statusline ? ['statusLine'] : [])];
  const granted = `${positionals.join(', ')}${scope.readOnly ? ' (read-only)' : ''}${scope.policyFile ? ` (session policy ${scope.policyFile})` : ''}`;

  if (mode === 'view' || mode === 'keys') {
    let env = vars;
    if (keys !== undefined) {
      env = keys.env;
      warn(
        `keys mode: the role's keys are now in ${project}/.claude/settings.local.json, readable by the model and every process it starts; ` +
          `they expire at ${formatExpiry(keys.expiration, deps.now(), deps.timeZone)} and nothing refreshes them: re-run this command to refresh. ` +
          'The default mode (view) hands out fresh keys per process instead.',
      );
    }
    const edit = await editor.edit(project, { kind: 'apply', vars: env, hooks, ...statusLine });
    deps.stderr.write(
      `swrole: Claude Code in ${project} gets ${granted} as AWS_PROFILE=${meta.defaultProfile}${mode === 'view' ? ` through ${paths.configFile}` : ''}\n`,
    );
    deps.stderr.write(
      `swrole: ${edit.changed ? 'updated' : 'already up to date:'} ${edit.file} (env: ${Object.keys(env).join(', ')}${extras.length ? `; ${extras.join(', ')}` : ''})${edit.git === 'excluded' ? '; added it to .git/info/exclude' : ''}${edit.backup ? `; previous file kept as ${edit.backup}` : ''}\n`,
    );
  } else {
    const script = renderEnv(Object.entries(vars), [], 'sh');
    writeAgentViewFile(paths, 'env.sh', script, deps.platform);
    const edit = await editor.edit(project, { kind: 'apply', vars: {}, hooks, ...statusLine });
    if (!values.install) {
      deps.stdout.write(`${JSON.stringify({ hooks: { [sessionHook.event]: [sessionHook.group] } }, null, 2)}\n`);
      deps.stderr.write(
        `swrole: wrote the agent view for ${project} (${granted}); add the SessionStart hook above to ${project}/.claude/settings.local.json\n` +
          `swrole:   (or re-run with --install), or start Claude Code with CLAUDE_ENV_FILE=${paths.dir}/env.sh\n`,
      );
    } else deps.stderr.write(`swrole: wrote the agent view for ${project} (${granted}), exported by a SessionStart hook\n`);
    if (edit.changed || extras.length)
      deps.stderr.write(
        `swrole: ${edit.changed ? 'updated' : 'already up to date:'} ${edit.file}${extras.length ? ` (${extras.join(', ')})` : ''}${edit.backup ? `; previous file kept as ${edit.backup}` : ''}\n`,
      );
  }
  deps.stderr.write(`swrole: undo with: swrole agent claude --remove --dir ${project}\n`);
  return 0;
}
