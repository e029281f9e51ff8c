// The twin of test/agents/claude-code.test.ts: the same acceptance suite of issue 9 (test/helpers/claude-scenarios.ts),
// run against a mimic of Claude Code 2.1.332 (test/helpers/mimic-claude.ts) instead of the real binary. It needs no
// binary, so it runs everywhere (also where the real suite is skipped), and faster; the real suite proves the mimic
// right (both give the same outcome test by test). Here with the agent suites for the time it takes with the aws CLI.
import { describeIssue9 } from '../helpers/claude-scenarios.js';
import { mimicStatusLine, runMimic } from '../helpers/mimic-claude.js';

describeIssue9(
  'swrole agent claude under a mimic of Claude Code (twins of the issue 9 acceptance tests)',
  { kind: 'mimic', run: runMimic, statusLine: mimicStatusLine },
  { skip: false },
);
