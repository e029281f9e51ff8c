// The real Claude Code binary (pinned in scripts/agent-versions.json, installed by scripts/install-agents.mjs) set
// up with `swrole agent claude` exactly as a user does it, run headless and offline against a scripted model mock,
// swrole's STS emulator and the built dist/swrole.js: the acceptance suite of issue 9 (test/helpers/claude-scenarios.ts).
// Its mimic twin, test/agents/claude-code-twins.test.ts, runs the same suite without the binary.
import { claudeMissing, readStatusLine, runClaude } from '../helpers/run-claude.js';
import { describeIssue9 } from '../helpers/claude-scenarios.js';

// Locally, without the binary, the suite is skipped with the reason; in CI (CI=true) it fails instead.
const missing = claudeMissing();
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

describeIssue9(
  'the real Claude Code binary with swrole agent claude (issue 9 acceptance)',
  { kind: 'real', run: runClaude, statusLine: readStatusLine },
  {
    skip: missing !== null && !inCi ? `${missing} (skipped locally; in CI this fails)` : false,
    precondition: () => {
      if (missing !== null) throw new Error(missing);
    },
  },
);
