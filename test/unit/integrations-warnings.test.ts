import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bedrockWarning, scrubWarning } from '../../src/agent/claude/agent-env-warnings.js';

const CASES: Array<[Record<string, string | undefined>, boolean]> = [
  [{}, false],
  [{ CLAUDE_CODE_USE_BEDROCK: '1' }, true],
  [{ CLAUDE_CODE_USE_BEDROCK: 'true' }, true],
  [{ CLAUDE_CODE_USE_BEDROCK: '' }, false],
  [{ CLAUDE_CODE_USE_BEDROCK: '0' }, false],
  [{ CLAUDE_CODE_USE_BEDROCK: 'false' }, false],
  [{ CLAUDE_CODE_USE_BEDROCK: undefined }, false],
];

for (const [env, warns] of CASES) {
  test(`bedrockWarning ${JSON.stringify(env)} → ${warns ? 'warns' : 'silent'}`, () => {
    const message = bedrockWarning(env);
    assert.equal(message !== undefined, warns);
    if (message) assert.match(message, /Bedrock.*awsCredentialExport/s);
  });
}

test('scrubWarning names the variable that strips AWS_* from the Bash tool', () => {
  assert.equal(scrubWarning({}), undefined);
  assert.match(scrubWarning({ CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' }) ?? '', /CLAUDE_CODE_SUBPROCESS_ENV_SCRUB/);
});
