// Runs the real Claude Code binary headless and offline: `claude -p PROMPT --allowedTools Bash` in a throwaway HOME
// against a loopback model mock (mock-anthropic.ts, or mock-bedrock.ts for Bedrock) that plays a script of Bash
// commands, with a tripwire proxy (egress-proxy.ts) in HTTPS_PROXY/HTTP_PROXY that refuses and records every
// attempt to leave loopback. Returns the tool_result of each command. Bounded: the process group is killed at
// timeoutMs. The binary is the pinned one scripts/install-agents.mjs puts in .agents/ (SWROLE_CLAUDE_BIN overrides).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEgressProxy } from './egress-proxy.js';
import { startMockAnthropic } from './mock-anthropic.js';
import { startMockBedrock, type SignedCall } from './mock-bedrock.js';
import type { ToolResult } from './scripted-turns.js';

export type { ToolResult } from './scripted-turns.js';

const PINS = JSON.parse(readFileSync(resolve('scripts/agent-versions.json'), 'utf8')) as { 'claude-code': string };
export const CLAUDE_CODE_VERSION = PINS['claude-code'];

const PLATFORM = `${process.platform}-${process.arch}`;
export const CLAUDE_BIN = resolve(
  process.env.SWROLE_CLAUDE_BIN ??
    join(process.env.SWROLE_AGENTS_DIR ?? '.agents', 'node_modules', `@anthropic-ai/claude-code-${PLATFORM}`, 'claude'),
);

/** Why the pinned binary cannot run here (a message naming the fix), or null when it can. */
export function claudeMissing(): string | null {
  if (!statSync(CLAUDE_BIN, { throwIfNoEntry: false })) {
    return `Claude Code ${CLAUDE_CODE_VERSION} is not installed at ${CLAUDE_BIN}: run \`node scripts/install-agents.mjs\``;
  }
  const r = spawnSync(CLAUDE_BIN, ['--version'], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '' } });
  if (r.status !== 0 || !r.stdout.startsWith(`${CLAUDE_CODE_VERSION} `)) {
    return `${CLAUDE_BIN} --version gave ${JSON.stringify(r.stdout.trim() || r.stderr.trim() || String(r.error))}, expected ${CLAUDE_CODE_VERSION}: run \`node scripts/install-agents.mjs\``;
  }
  return null;
}

/** Loopback in every spelling a client may compare against; everything else goes to the proxy. */
export const NO_PROXY = '127.0.0.1,localhost,::1';

export interface RunClaudeOptions {
  /** Where Claude Code starts (the project, or a folder inside it). */
  cwd: string;
  /** The throwaway HOME (Claude Code's ~/.claude, ~/.claude.json and the user's ~/.aws live there). */
  home: string;
  /** One Bash tool call per command, in order. */
  commands: readonly string[];
  /** The launching shell's own variables (keys the user exported, AWS_DEFAULT_PROFILE, scrub…), over the harness's. */
  env?: Record<string, string>;
  /** More arguments for `claude` (e.g. `--settings FILE`). */
  args?: string[];
  /** 'bedrock': the script is played by a mock Bedrock runtime (ANTHROPIC_BEDROCK_BASE_URL); the test turns Bedrock on. */
  provider?: 'anthropic' | 'bedrock';
  /** A proxy URL of the test's own to use instead of the tripwire (its log is the test's to judge). */
  proxy?: string;
  timeoutMs?: number;
}

export interface ClaudeRun {
  results: ToolResult[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Requests a model mock did not know. */
  unexpected: string[];
  /** Attempts to leave loopback (refused by the tripwire proxy). */
  offLoopback: string[];
  /** Bedrock mode: who signed each model request. */
  bedrock: SignedCall[];
  ms: number;
}

/** The environment of the shell that starts Claude Code, before the test's own variables. */
export function launchEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: process.env.USER ?? 'tester',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    TMPDIR: join(home, '.tmp'),
    // Only the model mock is spoken to; telemetry, auto-update, error reports and other nonessential traffic off
    // (CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC alone stops the api.anthropic.com calls 2.1.332 makes otherwise).
    ANTHROPIC_API_KEY: 'sk-ant-api03-swrole-interop-test-key-not-a-secret',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // The interactive TUI (statusLine tests) also fetches the official plugin marketplace (downloads.claude.ai,
    // then a git clone from github.com over HTTPS and SSH): off.
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
    // The agent's AWS tools: no instance metadata (a link-local address), the Node SDK found, no Node-version nag.
    AWS_EC2_METADATA_DISABLED: 'true',
    NODE_PATH: resolve('node_modules'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

export async function runClaude(options: RunClaudeOptions): Promise<ClaudeRun> {
  const started = performance.now();
  const bedrock = options.provider === 'bedrock';
  const anthropic = await startMockAnthropic(bedrock ? [] : options.commands);
  const bedrockMock = bedrock ? await startMockBedrock(options.commands) : null;
  const tripwire = await startEgressProxy();
  const proxy = options.proxy ?? tripwire.url;
  const env = launchEnv(options.home, {
    ANTHROPIC_BASE_URL: anthropic.url,
    ...(bedrockMock ? { ANTHROPIC_BEDROCK_BASE_URL: bedrockMock.url } : {}),
    HTTPS_PROXY: proxy,
    HTTP_PROXY: proxy,
    https_proxy: proxy,
    http_proxy: proxy,
    NO_PROXY,
    no_proxy: NO_PROXY,
    ...options.env,
  });
  mkdirSync(env.TMPDIR!, { recursive: true });
  // SWROLE_CLAUDE_DEBUG=DIR keeps Claude Code's own debug log of each run there (hooks, settings, env file, errors).
  const debugDir = process.env.SWROLE_CLAUDE_DEBUG;
  if (debugDir) mkdirSync(debugDir, { recursive: true });
  const debug = debugDir ? ['--debug-file', join(debugDir, `claude-${Date.now()}-${process.pid}.log`)] : [];
  const args = ['-p', 'Run the scripted steps.', '--allowedTools', 'Bash', ...debug, ...(options.args ?? [])];
  try {
    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
      (resolveRun, reject) => {
        const child = spawn(CLAUDE_BIN, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
        const killGroup = () => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        };
        const timer = setTimeout(() => {
          stderr += `\n[run-claude: killed after ${options.timeoutMs ?? 150_000} ms]`;
          killGroup();
        }, options.timeoutMs ?? 150_000);
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          killGroup(); // whatever the session left behind in its process group
          resolveRun({ code, signal, stdout, stderr });
        });
      },
    );
    const script = bedrockMock ?? anthropic;
    return {
      results: script.results(),
      exitCode: outcome.code,
      signal: outcome.signal,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      unexpected: [...anthropic.unexpected(), ...(bedrockMock?.unexpected() ?? [])],
      offLoopback: tripwire.refused(),
      bedrock: bedrockMock?.calls() ?? [],
      ms: performance.now() - started,
    };
  } finally {
    await Promise.all([anthropic.close(), bedrockMock?.close(), tripwire.close()]);
  }
}

/**
 * ~/.claude.json as a user who has used Claude Code has it: onboarding done, the API key approved, and `dir`
 * trusted. `-p` never asks for trust; the interactive TUI runs the statusLine only in a trusted workspace
 * ("Status line command skipped: workspace trust not accepted"). Other keys are kept.
 */
export function trustWorkspace(home: string, dir: string, apiKey: string): void {
  const file = join(home, '.claude.json');
  const current = statSync(file, { throwIfNoEntry: false }) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const projects = (current.projects ?? {}) as Record<string, Record<string, unknown>>;
  const approved = ((current.customApiKeyResponses as { approved?: string[] } | undefined)?.approved ?? []).concat(apiKey.slice(-20));
  writeFileSync(
    file,
    JSON.stringify({
      ...current,
      hasCompletedOnboarding: true,
      theme: 'dark',
      customApiKeyResponses: { approved, rejected: [] },
      projects: { ...projects, [dir]: { ...(projects[dir] ?? {}), hasTrustDialogAccepted: true } },
    }),
    { mode: 0o600 },
  );
}

export interface StatusLineRun {
  /** The screen when `waitFor` matched (or at the timeout). */
  screen: string;
  matched: boolean;
  offLoopback: string[];
  unexpected: string[];
}

/**
 * The statusLine as Claude Code shows it: `-p` never runs it, so this starts the interactive TUI in a private
 * tmux server (160×40), in a workspace marked trusted, and reads the screen until `waitFor` matches or timeoutMs
 * passes; then the tmux server (and Claude Code with it) is killed. No prompt is typed, so no model call is made.
 */
export async function readStatusLine(options: {
  cwd: string;
  home: string;
  env?: Record<string, string>;
  waitFor: RegExp;
  timeoutMs?: number;
}): Promise<StatusLineRun> {
  const anthropic = await startMockAnthropic([]);
  const tripwire = await startEgressProxy();
  const env = launchEnv(options.home, {
    TERM: 'xterm-256color',
    ANTHROPIC_BASE_URL: anthropic.url,
    HTTPS_PROXY: tripwire.url,
    HTTP_PROXY: tripwire.url,
    https_proxy: tripwire.url,
    http_proxy: tripwire.url,
    NO_PROXY,
    no_proxy: NO_PROXY,
    ...options.env,
  });
  mkdirSync(env.TMPDIR!, { recursive: true });
  trustWorkspace(options.home, options.cwd, env.ANTHROPIC_API_KEY!);
  // The tmux socket lives in the test's TMPDIR, so nothing is left behind in /tmp/tmux-UID.
  const socket = join(env.TMPDIR!, `tmux-${Math.random().toString(36).slice(2, 8)}.sock`);
  const tmux = (...args: string[]) => spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  let screen = '';
  let matched = false;
  try {
    const started = tmux(
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      '160',
      '-y',
      '40',
      '-c',
      options.cwd,
      'env',
      '-i',
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      CLAUDE_BIN,
    );
    if (started.status !== 0) throw new Error(`tmux new-session: ${started.stderr}`);
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      screen = tmux('capture-pane', '-p').stdout;
      if (options.waitFor.test(screen)) {
        matched = true;
        break;
      }
    }
  } finally {
    tmux('kill-server');
    rmSync(socket, { force: true });
    await Promise.all([anthropic.close(), tripwire.close()]);
  }
  return { screen, matched, offLoopback: tripwire.refused(), unexpected: anthropic.unexpected() };
}
