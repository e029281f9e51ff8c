import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { SwroleError } from '../../errors.js';
import { quoteShellWord } from '../../integrations/credential-process-command.js';
import type { JsonValue } from './claude-settings-text.js';

/**
 * `swrole agent claude --contain`: Claude Code's own sandbox (bubblewrap + socat on Linux) around the Bash tool,
 * with the credentials delivered from outside it. What the pinned Claude Code 2.1.332 does, measured on Linux
 * (docs/agents.md, "Contained sessions: what Claude Code's sandbox does"):
 *  - `sandbox.enabled` from .claude/settings.local.json is honoured in `claude -p`; `failIfUnavailable` refuses to
 *    start without it; `allowUnsandboxedCommands: false` there makes the model's `dangerouslyDisableSandbox` a no-op;
 *  - `filesystem.denyRead` hides a directory (an empty tmpfs), `denyWrite` makes a file read-only (EROFS), and every
 *    write outside the project is EROFS;
 *  - the Bash tool runs in its own network namespace: the host's loopback is unreachable (a credential server on
 *    127.0.0.1 included; the AWS SDKs' container provider never uses a proxy), the rest goes through Claude Code's
 *    proxy, limited to `network.allowedDomains`;
 *  - hooks run outside the sandbox (the launching user and network namespace).
 * So the hooks (SessionStart, and PreToolUse before every Bash command) write the granted, scoped session of each
 * profile into the view's directory, which stays readable inside; the view's credential_process only `cat`s it.
 */

/** The view-dir file holding the scoped session (credential_process JSON) of the granted profile at `index`. */
export const sessionFileName = (index: number): string => `session-${index}.json`;

/** The domains sandboxed commands may reach when the user names none: every AWS endpoint (STS and the services). */
export const DEFAULT_ALLOWED_DOMAINS = ['*.amazonaws.com'];

function onPath(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function sandboxError(message: string, hint: string): SwroleError {
  return new SwroleError('E_AGENT_SANDBOX', message, { hint });
}

/**
 * Refuses `--contain` where Claude Code's sandbox cannot start, naming the fix: never a silent fallback to the
 * guardrail. Linux: bubblewrap and socat on PATH (as Claude Code looks for them) and an unprivileged user + network
 * namespace (what bwrap needs; off on some distributions and in many containers). macOS: sandbox-exec.
 */
export function checkSandboxAvailable(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): void {
  if (platform === 'darwin') {
    if (!existsSync('/usr/bin/sandbox-exec'))
      throw sandboxError(
        '--contain: /usr/bin/sandbox-exec is missing, so Claude Code cannot sandbox its Bash tool',
        'run without --contain',
      );
    return;
  }
  if (platform !== 'linux') {
    throw sandboxError(
      `--contain: Claude Code's sandbox is for Linux and macOS; this is ${platform}`,
      'run the agent in WSL 2 or a Linux container, or run without --contain (a guardrail, not a boundary: docs/agents.md)',
    );
  }
  const bwrap = onPath(env, 'bwrap');
  const socat = onPath(env, 'socat');
  const missing = [bwrap ? undefined : 'bubblewrap (bwrap)', socat ? undefined : 'socat'].filter(Boolean);
  if (missing.length > 0) {
    throw sandboxError(
      `--contain: Claude Code's sandbox needs ${missing.join(' and ')} on PATH, and ${missing.length > 1 ? 'they are' : 'it is'} not there`,
      'install them (Debian/Ubuntu: sudo apt-get install bubblewrap socat; Fedora: sudo dnf install bubblewrap socat) and run again',
    );
  }
  const probe = spawnSync(bwrap!, ['--ro-bind', '/', '/', '--unshare-net', '--', 'true'], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: env.PATH ?? '' },
  });
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0];
    throw sandboxError(
      `--contain: bubblewrap cannot create a sandbox here (${bwrap} --ro-bind / / --unshare-net true: ${why})`,
      'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ also ' +
        'kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in a container, run it with user namespaces allowed) and run again',
    );
  }
}

/** The `cat` the view's credential_process runs inside the sandbox (no swrole, no node: nothing to escalate with). */
export function catPath(): string {
  return ['/bin/cat', '/usr/bin/cat'].find((p) => existsSync(p)) ?? '/bin/cat';
}

/** PURE: the credential_process line of a contained view: print the scoped session the hooks keep fresh. */
export function renderContainedProcess(cat: string, viewDir: string, index: number): string {
  return [cat, join(viewDir, sessionFileName(index))].map(quoteShellWord).join(' ');
}

/** PURE: the hosts of every endpoint_url in the view (the granted profiles' STS and service endpoints). */
export function endpointHosts(viewText: string): string[] {
  const hosts = new Set<string>();
  for (const match of viewText.matchAll(/^\s*endpoint_url\s*=\s*(\S+)\s*$/gm)) {
    try {
      hosts.add(new URL(match[1]!).hostname);
    } catch {
      // not a URL: the AWS tools refuse it too
    }
  }
  return [...hosts];
}

export interface SandboxPaths {
  /** The user's AWS config and credentials files (the view's source). */
  awsFiles: string[];
  /** swrole's state dir, its cache dir and an earlier swrole's state dir. */
  swroleDirs: string[];
  /** The directory of Claude Code's user settings, ~/.claude. */
  claudeDir: string;
  /** The project's view: readable inside (the session files), in a denied state dir. */
  viewDir: string;
}

/**
 * PURE: the `permissions.deny` rules that bind Claude Code's own tools (Read, Grep, Glob, Edit, Write run in its
 * process, outside the sandbox: measured, an allowed Read printed ~/.aws/credentials under `sandbox.filesystem.denyRead`).
 * `//` starts an absolute path in a rule.
 */
export function renderDenyRules(paths: SandboxPaths, project: string): string[] {
  const dirs = [...paths.awsFiles.map((f) => dirname(f)).filter((d) => basename(d) === '.aws'), ...paths.swroleDirs, paths.claudeDir];
  const rule = (tool: string, path: string) => `${tool}(/${path.startsWith('/') ? '' : '/'}${path})`;
  return [
    ...new Set([
      ...dirs.map((d) => rule('Read', `${d}/**`)),
      ...paths.awsFiles.map((f) => rule('Read', f)),
      rule('Edit', `${join(project, '.claude')}/**`),
      ...dirs.map((d) => rule('Edit', `${d}/**`)),
      ...paths.awsFiles.map((f) => rule('Edit', f)),
    ]),
  ];
}

/** PURE: the `sandbox` block of the project's local settings. */
export function renderSandboxSettings(paths: SandboxPaths, allowedDomains: readonly string[]): { [key: string]: JsonValue } {
  // ~/.aws whole (its caches: the CLI's sso/ and cli/ hold tokens and keys), but never a wider folder a custom
  // AWS_CONFIG_FILE lives in: that one file then.
  const awsDirs = paths.awsFiles.map((f) => dirname(f)).filter((d) => basename(d) === '.aws');
  const denyRead = [...new Set([...awsDirs, ...paths.awsFiles, ...paths.swroleDirs, paths.claudeDir])];
  return {
    enabled: true,
    failIfUnavailable: true,
    allowUnsandboxedCommands: false,
    filesystem: {
      denyRead,
      allowRead: [paths.viewDir],
      denyWrite: ['.claude/settings.local.json', '.claude/settings.json', '.claude'],
    },
    network: { allowedDomains: [...new Set(allowedDomains)] },
  };
}
