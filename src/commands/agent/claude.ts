import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Deps } from '../../platform/deps.js';
import { parseOptions } from '../parse-options.js';
import { usageError } from '../../errors.js';
import { createReporters, parseDuration } from '../credential-options.js';
import { formatExpiry } from '../../output/format-expiry.js';
import { resolveSwroleDirs } from '../../platform/resolve-state-dir.js';
import { createClaudeSettingsEditor, type SettingsHook } from '../../agent/claude/edit-claude-settings.js';
import { chooseMode } from '../../agent/claude/choose-mode.js';
import { replacedKeys } from '../../agent/claude/claude-settings-record.js';
import { readSettingsLayers, settingsLayerFiles, userSettingsFile } from '../../agent/claude/claude-settings-layers.js';
import { detectClaudeEnvironment } from '../../agent/claude/claude-environment.js';
import { createRunGit, type RunGit } from '../../integrations/git-ignore.js';
import { renderCredentialProcessCommand } from '../../integrations/credential-process-command.js';
import { prepareRequest } from '../../credentials/prepare-request.js';
import { getCredentials } from '../../credentials/get-credentials.js';
import { credentialEnv } from '../../output/env-vars.js';
import { renderEnv } from '../../output/render-env.js';
import { readScopeFlags } from '../scope-options.js';
import { auditIssuance } from '../../credentials/audit-issuance.js';
import { prepareAgentView } from '../../agent/view/build-agent-view.js';
import { probeGrants } from '../../agent/view/probe-grants.js';
import { renderProbe } from './render-probe.js';
import { viewProfileName } from '../../agent/view/render-agent-view.js';
import {
  SHADOWING_KEYS,
  listProjectViews,
  viewsWithMissingPrograms,
  projectViewPaths,
  readAgentViewMeta,
  removeAgentView,
  viewEnv,
  writeAgentView,
  writeAgentViewFile,
} from '../../agent/view/agent-view-store.js';
import { createWarner } from '../../platform/warnings.js';
import { loadAwsConfig } from '../../config/load-aws-config.js';
import { resolvePlan } from '../../plan/resolve-plan.js';
import { COMMANDS } from '../../registry/command-registry.js';
import {
  DEFAULT_ALLOWED_DOMAINS,
  catPath,
  checkSandboxAvailable,
  endpointHosts,
  renderContainedProcess,
  renderDenyRules,
  renderSandboxSettings,
} from '../../agent/claude/contain.js';
import { refreshContainedSessions } from './contained-sessions.js';

export const help = `Usage: swrole agent claude PROFILE... [options]

Gives Claude Code in a project the granted profiles, without keys and without MFA prompts. Run it in your
own terminal after \`swrole login\`. Nothing secret is written into the project (except with --mode keys).
Each granted profile is issued once first, exactly as the agent will get it: a grant that cannot work fails
here and nothing is written.

Modes (--mode):
  view       (default) writes an AWS config of the agent's own under swrole's state dir, holding only the
             granted profiles (each under its name and a view-only PROFILE@agent, which AWS_PROFILE names), each
             with credential_process = swrole process PROFILE ...,
             and sets in <project>/.claude/settings.local.json "env" (merged, git-ignored, backed up):
             AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE (an empty file), AWS_PROFILE and AWS_DEFAULT_PROFILE,
             and blanks AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN and
             AWS_CREDENTIAL_EXPIRATION, so keys exported in the shell that starts Claude Code cannot win
  env-file   the same view, exported by a SessionStart hook into CLAUDE_ENV_FILE (the Bash tool only: Claude
             Code's own Bedrock client is not touched). The default when CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is
             set, which strips the view mode's variables
  keys       fresh role keys + AWS_CREDENTIAL_EXPIRATION in "env": visible to the model, dead at expiry

Options:
  --default PROFILE       AWS_PROFILE inside the agent (else the first PROFILE)
  --read-only             session policy: the AWS managed ReadOnlyAccess policy
  --policy FILE           inline session policy (JSON, <= 2048 characters without whitespace)
  --duration D            role session length (900 s minimum; 1 h at most for MFA-session roles)
  --dir PROJECT           the project (default: the git repository's top level, else the current directory)
  --guard                 add a PreToolUse hook (matcher Bash) running \`swrole agent guard --allow PROFILES\`
  --statusline            add a statusLine running \`swrole agent statusline\` (refused if you have your own)
  --bedrock-profile P     Claude Code runs on Amazon Bedrock: give its model client the credentials of P through
                          "awsCredentialExport" in your user settings (~/.claude/settings.json), apart from the agent's
  --contain               a boundary, not a guardrail: run the Bash tool in Claude Code's sandbox (Linux:
                          bubblewrap + socat; refused with the fix where it cannot start). Inside, ~/.aws, swrole's
                          state and cache, ~/.claude are unreadable and .claude settings unwritable; swrole's hooks,
                          outside, hand it only the granted scoped sessions (see docs/agents.md)
  --allow-domain D        with --contain: a domain sandboxed commands may reach (repeatable; default *.amazonaws.com,
                          plus the endpoint_url hosts of the granted profiles)
  --remove                undo: take back exactly what swrole added and delete the view
  --install               (accepted for earlier scripts: env-file mode always installs its hook now)

A SessionStart hook tells the model which profiles it has and that MFA is yours. Hooks and the statusLine go
after your own entries, which are never touched. Re-running with the same flags changes nothing; without
--guard/--statusline, swrole takes back the entries it added earlier.

Agent sessions carry SourceIdentity and the session tag swrole:agent=claude where the role's trust policy allows
it (sts:SetSourceIdentity, sts:TagSession); a role that allows only sts:AssumeRole gets sessions without them
(swrole_source_identity / swrole_agent_tags = off|auto|required).

The view, the guard and the refusal of swrole's own commands inside the agent are guardrails against mistakes,
not a boundary: see docs/agents.md.
A profile of long-term keys gives the agent a session of them, never the keys: GetSessionToken, or
GetFederationToken with --read-only/--policy.
`;

/** Claude Code's default hook timeout is 600 s; swrole's hooks answer in well under a second. */
const HOOK_TIMEOUT_SECONDS = 10;
/** Re-run the statusLine every minute, so "N m left" stays true while the session is idle. */
const STATUSLINE_REFRESH_SECONDS = 60;

/** Node installed by a version manager lives in a versioned directory that the next upgrade removes. */
const VERSIONED_NODE = /[/\\](?:\.nvm|\.volta|\.fnm|fnm|\.asdf|\.nodenv|\.nvs|n[/\\]versions|mise[/\\]installs)[/\\]/;

async function gitTopLevel(runGit: RunGit, dir: string): Promise<string | undefined> {
  const top = await runGit(['rev-parse', '--show-toplevel'], dir);
  return top.code === 0 && top.stdout.trim() !== '' ? top.stdout.trim() : undefined;
}

/**
 * The `awsCredentialExport` command for Claude Code's Bedrock client: `swrole process P` with the user's files named
 * (Claude Code runs it with the settings env, which points AWS_CONFIG_FILE at the agent's view). Its output carries a
 * SessionToken, which Claude Code requires (docs/reference/claude-code-observed.md §4).
 */
function renderBedrockExport(deps: Deps, profile: string): string {
  const config = loadAwsConfig(deps);
  resolvePlan(config, profile, { env: deps.env }); // exists and resolves
  return renderCredentialProcessCommand(deps.nodePath, deps.selfPath, [
    'process',
    profile,
    '--source-config',
    config.configFile,
    '--source-credentials',
    config.credentialsFile,
  ]);
}

/** The user-settings part is shared by every project granted with --bedrock-profile: the last one to go takes it back. */
async function takeBackBedrockIfUnused(
  deps: Deps,
  editor: ReturnType<typeof createClaudeSettingsEditor>,
  stateDir: string,
  usedHere: boolean,
): Promise<void> {
  const file = userSettingsFile(deps);
  // No user settings: nothing of swrole's to take back (and no ~/.claude to create for it).
  if (!existsSync(file)) return;
  const users = listProjectViews(stateDir, deps).filter((meta) => meta.bedrockProfile !== undefined);
  if (users.length > 0) {
    if (usedHere) deps.stderr.write(`swrole: kept "awsCredentialExport" in ${file}: ${users.length} other project(s) use it for Bedrock\n`);
    return;
  }
  const result = await editor.editUserSettings(file, { kind: 'remove' });
  if (result.record?.awsCredentialExport !== undefined) deps.stderr.write(`swrole: removed "awsCredentialExport" from ${file}\n`);
}

/** What a `remove` edit took back, as the messages name it. */
function takenBack(
  record:
    | {
        entries: Array<{ key: string }>;
        hooks?: Array<{ event: string }> | undefined;
        statusLine?: unknown;
        sandbox?: unknown;
        denyRules?: string[] | undefined;
      }
    | undefined,
): string[] {
  return [
    ...(record?.entries.map((e) => `env.${e.key}`) ?? []),
    ...(record?.hooks?.map((h) => `a ${h.event} hook`) ?? []),
    ...(record?.statusLine ? ['statusLine'] : []),
    ...(record?.sandbox ? ['sandbox'] : []),
    ...(record?.denyRules?.length ? [`${record.denyRules.length} permissions.deny rules`] : []),
  ];
}

export async function run(args: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseOptions('agent claude', args, COMMANDS.agent.subcommands.claude.options);
  const runGit = createRunGit(deps.env);
  // Claude Code reads settings.local.json at the git root, wherever in the repository it starts.
  const project = values.dir !== undefined ? resolve(deps.cwd, values.dir) : ((await gitTopLevel(runGit, deps.cwd)) ?? deps.cwd);
  const warn = createWarner(deps.stderr);
  // Each directory is created or verified where it is written (views, records): trusted-dir.ts.
  const { stateDir, legacyStateDir } = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  const editor = createClaudeSettingsEditor({
    now: deps.now,
    warn,
    stateDir,
    legacyStateDir,
    platform: deps.platform,
    user: deps.user,
    runGit,
    pid: deps.pid,
    command: deps.invocation ?? 'swrole agent claude',
  });
  const paths = projectViewPaths(stateDir, project);
  // A view an earlier swrole wrote in the cache dir: the settings point at it until they are rewritten.
  const legacyPaths = legacyStateDir === undefined ? undefined : projectViewPaths(legacyStateDir, project);
  const allPaths = [paths, ...(legacyPaths ? [legacyPaths] : [])];

  if (values.remove) {
    // Settings and views are taken back under the settings lock, as they are written.
    const { result, usedBedrock, deleted } = await editor.locked(project, false, (edit) => {
      const undone = edit({ kind: 'remove' });
      const bedrock = allPaths.some((view) => readAgentViewMeta(view, deps)?.bedrockProfile !== undefined);
      const views = allPaths.filter((view) => removeAgentView(view, deps));
      return { result: undone, usedBedrock: bedrock, deleted: views.map((view) => view.dir) };
    });
    await takeBackBedrockIfUnused(deps, editor, stateDir, usedBedrock);
    const taken = takenBack(result.record);
    deps.stderr.write(
      `swrole: ${taken.length ? `removed ${taken.join(', ')} from ${result.file}` : `nothing of swrole's in ${result.file}`}${deleted.length ? `; deleted the agent view ${deleted.join(' and ')}` : ''}\n`,
    );
    if (taken.length > 0) deps.stderr.write('swrole: a running Claude Code session keeps the values it loaded: restart it\n');
    return 0;
  }
  if (positionals.length === 0) throw usageError('agent claude', 'name at least one profile to grant');
  const claude = detectClaudeEnvironment(readSettingsLayers(settingsLayerFiles(deps, project, deps.cwd)), deps.env);
  const bedrockProfile = values['bedrock-profile'];
  const mode = chooseMode(values.mode, claude, bedrockProfile);
  const contain = values.contain === true;
  if (!contain && values['allow-domain'] !== undefined) throw usageError('agent claude', '--allow-domain goes with --contain');
  if (contain && mode !== 'view') throw usageError('agent claude', `--contain works in view mode only, not --mode ${mode}`);
  // Before anything is issued or written: a sandbox that cannot start is refused, never a silent guardrail.
  if (contain) checkSandboxAvailable(deps.env, deps.platform);
  if (claude.scrub && values.mode === undefined) {
    deps.stderr.write(`swrole: CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is set (in ${claude.scrub.from}): using --mode env-file\n`);
  }
  const scope = { ...readScopeFlags(values, deps.cwd), agent: 'claude' };
  const durationSeconds = values.duration === undefined ? undefined : parseDuration('agent claude', values.duration);
  const bedrockExport = bedrockProfile === undefined ? undefined : renderBedrockExport(deps, bedrockProfile);
  if (VERSIONED_NODE.test(deps.nodePath)) {
    warn(
      `the hooks and the view call node by its path ${deps.nodePath}, which a node upgrade through a version manager removes ` +
        '(the hooks then fail open and the agent loses AWS access): re-run this command after upgrading node',
    );
  }

  // A doctor's check of the other projects' grants: this one is rewritten with this node below.
  for (const stale of viewsWithMissingPrograms(stateDir, deps).filter((v) => projectViewPaths(stateDir, v.project).dir !== paths.dir)) {
    warn(
      `the agent grant of ${stale.project} calls ${stale.missing}, which no longer exists: its agent gets no AWS credentials ` +
        `and swrole's hooks there fail open; run \`swrole agent claude\` there again (or --remove it)`,
    );
  }

  // Obtain first, edit second: nothing is written when a grant cannot work.
  const reporters = createReporters(deps, false);
  const probes =
    mode === 'keys' ? [] : await probeGrants(deps, { command: 'agent claude', profiles: positionals, scope, durationSeconds }, reporters);
  // Bedrock's profile too, as Claude Code's model client will get it (its own, unscoped, session).
  const bedrockProbe =
    bedrockProfile === undefined
      ? undefined
      : (
          await probeGrants(
            deps,
            { command: 'agent claude (bedrock)', profiles: [bedrockProfile], scope: { readOnly: false }, durationSeconds: undefined },
            reporters,
          )
        )[0];
  let keysEnv: Record<string, string> | undefined;
  if (mode === 'keys') {
    const defaultProfile = values.default ?? positionals[0]!;
    if (!(positionals as string[]).includes(defaultProfile))
      throw usageError('agent claude', `--default "${defaultProfile}" is not one of the granted profiles`);
    const prepared = prepareRequest(deps, { profile: defaultProfile, scope }, reporters.warn);
    const result = await getCredentials(deps, prepared, { durationSeconds, allowPrompt: deps.interactive }, reporters);
    auditIssuance(deps, prepared, 'agent claude --mode keys', scope, result);
    keysEnv = Object.fromEntries(
      credentialEnv(result.credentials, { region: prepared.plan.region }).filter(([k]) => !k.startsWith('SWROLE_')),
    );
    warn(
      `keys mode: the role's keys are now in ${project}/.claude/settings.local.json, readable by the model and every process it starts; ` +
        `they expire at ${formatExpiry(result.credentials.expiration, deps.now(), deps.timeZone)} and nothing refreshes them: re-run this command to refresh. ` +
        'The default mode (view) hands out fresh keys per process instead.',
    );
  }

  // Bedrock's own credentials first: the project's env must never reach its model client without them, and a
  // user's own awsCredentialExport (E_SETTINGS_MEMBER) stops the grant before its view is written.
  const bedrockEdit =
    bedrockExport === undefined
      ? undefined
      : await editor.editUserSettings(userSettingsFile(deps), { kind: 'apply', vars: {}, awsCredentialExport: bedrockExport });
  const previous = allPaths.map((view) => readAgentViewMeta(view, deps)).find((meta) => meta !== undefined);
  // Checked and rendered before anything is written: a profile that does not resolve changes nothing.
  const view = prepareAgentView(deps, {
    command: 'agent claude',
    agent: 'claude',
    mode,
    project,
    profiles: positionals,
    defaultProfile: values.default,
    scope,
    durationSeconds,
    bedrockProfile,
    contained: contain ? (index: number) => renderContainedProcess(catPath(), paths.dir, index) : undefined,
  });
  const { meta } = view;
  const self = (...rest: string[]) => renderCredentialProcessCommand(deps.nodePath, deps.selfPath, rest);
  const hookCommand = (...rest: string[]) => ({ type: 'command', command: self(...rest), timeout: HOOK_TIMEOUT_SECONDS });
  // Hook commands and the statusLine call this swrole by absolute paths, quoted for the `sh -c` Claude Code runs them with.
  const hooks: SettingsHook[] = [{ event: 'SessionStart', group: { hooks: [hookCommand('agent', 'session-hook')] } }];
  if (mode === 'env-file') hooks.push({ event: 'FileChanged', group: { hooks: [hookCommand('agent', 'session-hook')] } });
  // --contain: the hook refreshes the scoped sessions before every Bash command (outside the sandbox).
  if (contain) hooks.push({ event: 'PreToolUse', group: { matcher: 'Bash', hooks: [hookCommand('agent', 'session-hook')] } });
  if (values.guard) {
    const allowed = positionals.flatMap((p) => [p, viewProfileName(p)]).join(',');
    hooks.push({ event: 'PreToolUse', group: { matcher: 'Bash', hooks: [hookCommand('agent', 'guard', '--allow', allowed)] } });
  }
  const statusLine = values.statusline
    ? { statusLine: { type: 'command', command: self('agent', 'statusline'), refreshInterval: STATUSLINE_REFRESH_SECONDS } }
    : {};
  const sandboxPaths = {
    awsFiles: [meta.source.configFile, meta.source.credentialsFile],
    swroleDirs: [stateDir, resolveSwroleDirs(deps.env, deps.homedir, deps.platform).cacheDir, ...(legacyStateDir ? [legacyStateDir] : [])],
    claudeDir: join(deps.homedir, '.claude'),
    viewDir: paths.dir,
  };
  const sandbox = contain
    ? {
        sandbox: renderSandboxSettings(sandboxPaths, [...(values['allow-domain'] ?? DEFAULT_ALLOWED_DOMAINS), ...endpointHosts(view.text)]),
        denyRules: renderDenyRules(sandboxPaths, project),
      }
    : {};
  const defaultName = viewProfileName(meta.defaultProfile);
  let vars: Record<string, string> = {};
  if (mode === 'view') vars = viewEnv(paths, defaultName);
  if (mode === 'keys') vars = keysEnv!;
  /**
   * The view and the settings that point at it are written under the settings lock, view first: concurrent runs
   * in one project cannot leave AWS_PROFILE naming a profile the view lacks.
   */
  const { edit, switched } = await editor.locked(project, true, (editNow) => {
    // Switching modes: take back the previous mode's settings first, so no stale keys or paths linger, and say what
    // went (a guard or statusLine asked for again is added back below, and the final line lists it).
    const switched = previous !== undefined && previous.mode !== mode ? takenBack(editNow({ kind: 'remove' }).record) : undefined;
    writeAgentView(paths, view.text, meta, deps, warn);
    // The same lines the hook writes, for those who start Claude Code with CLAUDE_ENV_FILE=<view>/env.sh.
    if (mode === 'env-file') writeAgentViewFile(paths, 'env.sh', renderEnv(Object.entries(viewEnv(paths, defaultName)), [], 'sh'), deps);
    const result = editNow({ kind: 'apply', vars, hooks, ...statusLine, ...sandbox });
    // The settings now point at the state dir's view.
    if (legacyPaths !== undefined) removeAgentView(legacyPaths, deps);
    return { edit: result, switched };
  });

  // The sessions the sandboxed tools read, written now (cache hits of the grant's own issuance): the first command
  // has them even before a hook ran.
  if (contain) for (const failure of await refreshContainedSessions(deps, meta, paths)) warn(failure);
  const granted = `${positionals.join(', ')}${scope.readOnly ? ' (read-only)' : ''}${scope.policyFile ? ` (session policy ${scope.policyFile})` : ''}`;
  const how =
    mode === 'view' ? ` through ${paths.configFile}` : mode === 'env-file' ? ' through a SessionStart hook (CLAUDE_ENV_FILE)' : ' as keys';
  deps.stderr.write(`swrole: Claude Code in ${project} gets ${granted} as AWS_PROFILE=${defaultName}${how}\n`);
  for (const probe of probes) deps.stderr.write(`swrole:   ${renderProbe(probe, deps.now())}\n`);
  const extras = [
    ...hooks.map((h) => `${h.event} hook`),
    ...(values.statusline ? ['statusLine'] : []),
    ...(contain ? ['sandbox', 'permissions.deny'] : []),
  ];
  deps.stderr.write(
    `swrole: ${edit.changed ? 'updated' : 'already up to date:'} ${edit.file} (${[`env: ${Object.keys(vars).join(', ') || 'none'}`, ...extras].join('; ')})` +
      `${edit.git === 'excluded' ? '; added it to .git/info/exclude' : ''}${edit.backup ? `; previous file kept as ${edit.backup}` : ''}\n`,
  );
  if (bedrockEdit !== undefined && bedrockProbe !== undefined) {
    deps.stderr.write(
      `swrole: Claude Code's Bedrock client gets profile "${bedrockProfile}" through "awsCredentialExport" in ${bedrockEdit.file}` +
        `${bedrockEdit.changed ? '' : ' (already there)'}; ${renderProbe(bedrockProbe, deps.now())}\n`,
    );
  }
  const oldKeys = replacedKeys(edit.record, SHADOWING_KEYS);
  if (oldKeys.length > 0) {
    deps.stderr.write(
      `swrole: replaced the keys that were in its "env" (${oldKeys.join(', ')}): they no longer reach the agent; --remove puts them back\n`,
    );
  }
  if (previous !== undefined && switched !== undefined)
    deps.stderr.write(
      `swrole: switching ${project} from ${previous.mode} mode to ${mode}: ${switched.length ? `removed ${switched.join(', ')}` : 'nothing of the previous mode was left to remove'}\n`,
    );
  deps.stderr.write(`swrole: undo with: swrole agent claude --remove --dir ${project}\n`);
  return 0;
}
