// A mimic of what Claude Code 2.1.332 does with the files swrole writes, observed with the real binary
// (docs/reference/claude-code-observed.md §1–§3, and test/agents/): the fast twin of run-claude.ts, same options and
// result shape, no binary and no model. What it copies:
// - settings layers: user ~/.claude/settings.json < project .claude/settings.json (launch folder) < the launch
//   folder's own .claude/settings.local.json < the git root's .claude/settings.local.json; `env` merged key by key
//   ("" passed through), hooks added together;
// - CLAUDE_CODE_SUBPROCESS_ENV_SCRUB (launch env or settings): the AWS variables 2.1.332 strips from Bash and hooks
//   (measured: the key trio, AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_CONFIG_FILE,
//   AWS_SHARED_CREDENTIALS_FILE, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_*, AWS_BEARER_TOKEN_BEDROCK; AWS_PROFILE,
//   AWS_DEFAULT_PROFILE, regions, endpoints and AWS_CA_BUNDLE are kept);
// - SessionStart hooks run at start in the launch folder with CLAUDE_ENV_FILE and CLAUDE_PROJECT_DIR (= the launch
//   folder), their files inlined before every Bash command;
// - each Bash command a fresh `bash -c` in its own session (no terminal), stdin /dev/null, stdout and stderr joined;
// - the statusLine command run with the stdin 2.1.332 sends (workspace.project_dir = the launch folder).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDetached } from './run-detached.js';
import { startEgressProxy } from './egress-proxy.js';
import { launchEnv, NO_PROXY, type ClaudeRun, type RunClaudeOptions, type StatusLineRun } from './run-claude.js';

export const SCRUBBED_AWS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];

interface HookGroup {
  matcher?: string;
  hooks?: Array<{ type?: string; command?: string }>;
}
interface Settings {
  env?: Record<string, string>;
  hooks?: Record<string, HookGroup[]>;
  statusLine?: { type?: string; command?: string };
}

const readSettings = (file: string): Settings => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Settings) : {});

function gitRoot(cwd: string): string {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : cwd;
}

/** The merged settings Claude Code started in `cwd` would apply (lowest precedence first). */
export function mergedSettings(cwd: string, home: string): Required<Settings> {
  const root = gitRoot(cwd);
  const layers = [join(home, '.claude', 'settings.json'), join(cwd, '.claude', 'settings.json')];
  if (root !== cwd) layers.push(join(cwd, '.claude', 'settings.local.json'));
  layers.push(join(root, '.claude', 'settings.local.json'));
  const merged: Required<Settings> = { env: {}, hooks: {}, statusLine: {} };
  for (const settings of layers.map(readSettings)) {
    Object.assign(merged.env, settings.env ?? {});
    for (const [event, groups] of Object.entries(settings.hooks ?? {})) merged.hooks[event] = [...(merged.hooks[event] ?? []), ...groups];
    if (settings.statusLine) merged.statusLine = settings.statusLine;
  }
  return merged;
}

/** The environment Bash and hooks get: launch env, then settings env, then the scrub. */
function subprocessEnv(
  options: Pick<RunClaudeOptions, 'home' | 'env' | 'proxy'>,
  settingsEnv: Record<string, string>,
): Record<string, string> {
  const proxy: Record<string, string> = options.proxy
    ? { HTTPS_PROXY: options.proxy, HTTP_PROXY: options.proxy, https_proxy: options.proxy, http_proxy: options.proxy }
    : {};
  const env: Record<string, string> = {
    ...launchEnv(options.home, { NO_PROXY, no_proxy: NO_PROXY, ...proxy, ...options.env }),
    ...settingsEnv,
    CLAUDECODE: '1',
    CLAUDE_CODE_CHILD_SESSION: '1',
  };
  if (['1', 'true'].includes((env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB ?? '').toLowerCase())) for (const name of SCRUBBED_AWS) delete env[name];
  return env;
}

export async function runMimic(options: RunClaudeOptions): Promise<ClaudeRun> {
  const started = performance.now();
  const settings = mergedSettings(options.cwd, options.home);
  // As in run-claude.ts: the tripwire is the launch shell's proxy unless the test brings its own.
  const tripwire = await startEgressProxy();
  const env = subprocessEnv({ ...options, proxy: options.proxy ?? tripwire.url }, settings.env);
  mkdirSync(env.TMPDIR!, { recursive: true });
  const sessionDir = mkdtempSync(join(env.TMPDIR!, 'mimic-session-'));
  try {
    const envFiles: string[] = [];
    const sessionStart = (settings.hooks.SessionStart ?? []).flatMap((g) => g.hooks ?? []).filter((h) => h.type === 'command' && h.command);
    for (const [i, hook] of sessionStart.entries()) {
      const file = join(sessionDir, `sessionstart-hook-${i}.sh`);
      const input = JSON.stringify({
        session_id: 'mimic',
        transcript_path: join(sessionDir, 't.jsonl'),
        cwd: options.cwd,
        hook_event_name: 'SessionStart',
        source: 'startup',
      });
      await runDetached(
        'bash',
        ['-c', `cd ${JSON.stringify(options.cwd)} && ${hook.command!}`],
        { ...env, CLAUDE_ENV_FILE: file, CLAUDE_PROJECT_DIR: options.cwd },
        input,
      );
      envFiles.push(file);
    }
    const preamble = envFiles
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const results = [];
    for (const command of options.commands) {
      const r = await runDetached(
        'bash',
        ['-c', `cd ${JSON.stringify(options.cwd)}\n${preamble}\n${command}`],
        env,
        '',
        options.timeoutMs ?? 60_000,
      );
      const output = [r.stdout.trimEnd(), r.stderr.trimEnd()].filter((s) => s !== '').join('\n');
      results.push({ command, output: r.code === 0 ? output : `Exit code ${r.code}\n${output}`, isError: r.code !== 0 });
    }
    return {
      results,
      exitCode: 0,
      signal: null,
      stdout: '',
      stderr: '',
      unexpected: [],
      offLoopback: tripwire.refused(),
      bedrock: [],
      ms: performance.now() - started,
    };
  } finally {
    rmSync(sessionDir, { recursive: true, force: true });
    await tripwire.close();
  }
}

/** The statusLine command, run once with the stdin 2.1.332 sends; `screen` is what it printed. */
export async function mimicStatusLine(options: {
  cwd: string;
  home: string;
  env?: Record<string, string>;
  waitFor: RegExp;
}): Promise<StatusLineRun> {
  const settings = mergedSettings(options.cwd, options.home);
  const command = settings.statusLine.command;
  if (!command) return { screen: '(no statusLine in the settings)', matched: false, offLoopback: [], unexpected: [] };
  const input = JSON.stringify({
    session_id: 'mimic',
    transcript_path: join(options.home, 't.jsonl'),
    cwd: options.cwd,
    model: { id: 'claude-opus-5-5', display_name: 'Opus 5.5' },
    workspace: { current_dir: options.cwd, project_dir: options.cwd, added_dirs: [] },
    version: '2.1.332',
  });
  const r = await runDetached(
    'bash',
    ['-c', `cd ${JSON.stringify(options.cwd)} && ${command}`],
    subprocessEnv(options, settings.env),
    input,
  );
  const screen = `${r.stdout}${r.stderr ? `\n[stderr] ${r.stderr}` : ''}`;
  return { screen, matched: options.waitFor.test(r.stdout), offLoopback: [], unexpected: [] };
}
