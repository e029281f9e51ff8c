// Installs the pinned agent binaries the real-binary interop tests drive (test/agents/) into .agents/ (git-ignored),
// so a plain `npm ci` stays light. .ci/run calls it; developers run `node scripts/install-agents.mjs` once.
// Claude Code's npm package is only a wrapper: the native binary is in its platform package, which is installed
// (pinned) beside it and run directly; the wrapper's postinstall (which copies that binary over its stub) is skipped.
// Exits non-zero, saying why, when the install fails or the binary does not report the pinned version.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** The pins, shared with test/agents/claude-binary.ts. */
const CLAUDE_CODE_VERSION = JSON.parse(readFileSync(join(ROOT, 'scripts', 'agent-versions.json'), 'utf8'))['claude-code'];
const AGENTS_DIR = process.env.SWROLE_AGENTS_DIR ?? join(ROOT, '.agents');

const PLATFORMS = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64' };
const platform = PLATFORMS[`${process.platform}-${process.arch}`];
if (!platform) {
  console.error(`install-agents: no Claude Code platform package for ${process.platform}-${process.arch}`);
  process.exit(1);
}
const platformPackage = `@anthropic-ai/claude-code-${platform}`;
const binary = join(AGENTS_DIR, 'node_modules', platformPackage, 'claude');

const version = () => {
  const r = spawnSync(binary, ['--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: AGENTS_DIR },
  });
  return r.status === 0 ? r.stdout.trim() : null;
};

if (version()?.startsWith(`${CLAUDE_CODE_VERSION} `)) {
  console.log(`install-agents: Claude Code ${CLAUDE_CODE_VERSION} already in ${binary}`);
  process.exit(0);
}

mkdirSync(AGENTS_DIR, { recursive: true });
writeFileSync(
  join(AGENTS_DIR, 'package.json'),
  `${JSON.stringify({ private: true, description: 'pinned agent binaries for test/agents (scripts/install-agents.mjs)', dependencies: { '@anthropic-ai/claude-code': CLAUDE_CODE_VERSION, [platformPackage]: CLAUDE_CODE_VERSION } }, null, 2)}\n`,
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const installed = spawnSync(npm, ['install', '--prefix', AGENTS_DIR, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
  stdio: 'inherit',
  timeout: 15 * 60_000,
});
if (installed.status !== 0) {
  console.error(`install-agents: npm install of Claude Code ${CLAUDE_CODE_VERSION} into ${AGENTS_DIR} failed`);
  process.exit(1);
}
const got = version();
if (!got?.startsWith(`${CLAUDE_CODE_VERSION} `)) {
  console.error(`install-agents: ${binary} reports ${JSON.stringify(got)}, expected ${CLAUDE_CODE_VERSION}`);
  process.exit(1);
}
console.log(`install-agents: Claude Code ${got} in ${binary}`);
