// The `permissions.deny` rules of `agent claude --contain` (issue 14): appended after the user's own, each once, and
// taken back byte for byte, with the containers swrole created for them (or the empty ones it found).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyToSettings, removeFromSettings } from '../../src/agent/claude/claude-settings-apply.js';

const RULES = ['Read(//home/u/.aws/**)', 'Edit(//p/.claude/**)'];
const roundTrip = (before: string | undefined) => {
  const applied = applyToSettings(before, { vars: {}, denyRules: RULES }, 'swrole');
  const removed = removeFromSettings(applied.text, applied.record);
  return { applied, removed };
};

describe('claude settings: permissions.deny rules (--contain)', () => {
  it('a new file: permissions and deny created, then taken back to the empty root', () => {
    const { applied, removed } = roundTrip(undefined);
    assert.deepEqual(JSON.parse(applied.text), { permissions: { deny: RULES } });
    assert.deepEqual(removed.skipped, []);
    assert.equal(removed.text, '{}\n');
  });

  for (const [name, before] of [
    ['permissions without deny', '{\n\t"permissions": { "allow": ["Bash(ls:*)"] }\n}\n'],
    ['an empty deny array', '{\n  "permissions": {\n    "deny": [ ]\n  }\n}\n'],
    [
      "the user's own deny rules, one of them also swrole's",
      '{ "permissions": { "deny": ["Bash(rm:*)", "Read(//home/u/.aws/**)"] }, "x": 1 }\n',
    ],
    ['an empty permissions object', '{"permissions":{}}'],
  ] as const) {
    it(`${name}: the rules are appended and --remove gives back the same bytes`, () => {
      const { applied, removed } = roundTrip(before);
      const deny = (JSON.parse(applied.text) as { permissions: { deny: string[] } }).permissions.deny;
      for (const rule of RULES) assert.equal(deny.filter((r) => r === rule).length, 1, applied.text);
      assert.equal(removed.text, before);
    });
  }

  it('a rule the user removed meanwhile is named in skipped; the others go', () => {
    const { text, record } = applyToSettings('{}\n', { vars: {}, denyRules: RULES }, 'swrole');
    const edited = text.replace('"Edit(//p/.claude/**)"', '"Bash(x)"');
    const removed = removeFromSettings(edited, record);
    assert.deepEqual(removed.skipped, ['permissions.deny (Edit(//p/.claude/**))']);
    assert.deepEqual(JSON.parse(removed.text), { permissions: { deny: ['Bash(x)'] } });
  });
});
