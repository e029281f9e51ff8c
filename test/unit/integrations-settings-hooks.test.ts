import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyToSettings,
  removeFromSettings,
  type AppliedHook,
  type SettingsAdditions,
} from '../../src/agent/claude/claude-settings-apply.js';
import { SwroleError } from '../../src/errors.js';

const DIR = join(import.meta.dirname, '../fixtures/claude-settings');
const fixtures = readdirSync(DIR)
  .filter((n) => n.endsWith('.json'))
  .sort();
const VARS = {
  AWS_CONFIG_FILE: '/home/u/.cache/swrole/agents/p/config',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PROFILE: 'agent-ro',
};
const GUARD: AppliedHook = {
  event: 'PreToolUse',
  group: { matcher: 'Bash', hooks: [{ type: 'command', command: "/usr/bin/node '/opt/my swrole/swrole.js' agent guard --allow a,b" }] },
};
const SESSION: AppliedHook = {
  event: 'SessionStart',
  group: { hooks: [{ type: 'command', command: '/usr/bin/node /opt/swrole.js agent env-file-hook' }] },
};
const STATUS = { type: 'command', command: '/usr/bin/node /opt/swrole.js agent statusline' };
const ALL: SettingsAdditions = { vars: VARS, hooks: [GUARD, SESSION], statusLine: STATUS };

type Settings = { env?: Record<string, string>; hooks?: Record<string, unknown[]>; statusLine?: unknown; [k: string]: unknown };
const parse = (text: string): Settings => JSON.parse(text.replace(/^\uFEFF/, '')) as Settings;

for (const name of fixtures) {
  test(`${name}: env + hooks + statusLine applied after the user's own; remove restores the original bytes; re-apply is a no-op`, () => {
    const original = readFileSync(join(DIR, name), 'utf8');
    const before = parse(original);
    const hasStatus = before.statusLine !== undefined;
    const additions: SettingsAdditions = hasStatus ? { vars: VARS, hooks: [GUARD, SESSION] } : ALL;
    if (hasStatus) {
      assert.throws(
        () => applyToSettings(original, ALL, 'swrole'),
        (e: unknown) => e instanceof SwroleError && e.code === 'E_SETTINGS_STATUSLINE' && e.exit === 6 && /statusline\.sh/.test(e.message),
      );
    }
    const { text, record } = applyToSettings(original, additions, 'swrole');
    const after = parse(text);
    for (const event of ['PreToolUse', 'SessionStart']) {
      const mine = event === 'PreToolUse' ? GUARD : SESSION;
      assert.deepEqual(
        after.hooks?.[event],
        [...(before.hooks?.[event] ?? []), mine.group],
        `${event}: the user's groups first, swrole's appended`,
      );
    }
    assert.deepEqual(after.statusLine, hasStatus ? before.statusLine : STATUS);
    const { env: _e1, hooks: _h1, statusLine: _s1, ...restBefore } = before;
    const { env: _e2, hooks: _h2, statusLine: _s2, ...restAfter } = after;
    assert.deepEqual(restAfter, restBefore);
    assert.equal(text.includes('\r\n'), original.includes('\r\n'), 'line endings kept');
    if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(text), 'no bare LF in a CRLF file');
    if (/\n\t/.test(original)) assert.ok(!/\n {2}/.test(text), 'tab-indented file stays tab-indented');
    if (/\n {4}"/.test(original) && !/\n {2}"/.test(original)) assert.ok(!/\n {2}"/.test(text), '4-space file stays 4-space');
    if (!original.trimEnd().includes('\n') && Object.keys(before).length > 0)
      assert.ok(!text.trimEnd().includes('\n'), 'a one-line file stays on one line');
    assert.equal(record.hooks?.length, 2);

    const again = applyToSettings(text, additions, 'swrole', { prior: record });
    assert.equal(again.text, text, 'same flags again: nothing changes');
    assert.deepEqual(again.record, record);

    const undone = removeFromSettings(again.text, again.record);
    assert.deepEqual(undone.skipped, []);
    assert.equal(undone.text, original);
  });
}

test("a changed --allow list replaces swrole's guard group, never the user's; dropping --statusline takes it back", () => {
  const original = readFileSync(join(DIR, 'hooks-4space.json'), 'utf8');
  const first = applyToSettings(original, ALL, 'swrole');
  const guard2: AppliedHook = {
    event: 'PreToolUse',
    group: { matcher: 'Bash', hooks: [{ type: 'command', command: 'swrole agent guard --allow c' }] },
  };
  const second = applyToSettings(first.text, { vars: VARS, hooks: [guard2] }, 'swrole', { prior: first.record });
  const after = parse(second.text);
  assert.equal(after.hooks?.PreToolUse?.length, 2);
  assert.deepEqual(after.hooks?.PreToolUse?.[1], guard2.group);
  assert.equal(after.hooks?.SessionStart?.length, 1, "the SessionStart group swrole added is gone, the user's stays");
  assert.equal(after.statusLine, undefined);
  assert.equal(removeFromSettings(second.text, second.record).text, original);
});

test("a group identical to the user's own is not added twice, and not taken by remove", () => {
  const original = `{\n  "hooks": {\n    "PreToolUse": [\n      ${JSON.stringify(GUARD.group)}\n    ]\n  }\n}\n`;
  const { text, record } = applyToSettings(original, { vars: {}, hooks: [GUARD] }, 'swrole');
  assert.equal(text, original);
  assert.equal(record.hooks, undefined);
  assert.equal(removeFromSettings(text, record).text, original);
});

test('empty containers keep their exact bytes: "hooks": {} and "PreToolUse": [ ]', () => {
  for (const original of [
    '{\n  "hooks": {}\n}\n',
    '{\n  "hooks": {\n    "PreToolUse": [ ]\n  }\n}\n',
    '{ }',
    '{"hooks": {"PreToolUse": []}}',
  ]) {
    const { text, record } = applyToSettings(original, { vars: {}, hooks: [GUARD], statusLine: STATUS }, 'swrole');
    assert.deepEqual(parse(text).hooks?.PreToolUse, [GUARD.group]);
    assert.equal(removeFromSettings(text, record).text, original, JSON.stringify(original));
  }
});

test("a new file: swrole's hook and statusLine, 2-space JSON; remove leaves {}", () => {
  const { text, record } = applyToSettings(undefined, { vars: {}, hooks: [GUARD], statusLine: STATUS }, 'swrole');
  assert.deepEqual(parse(text), { hooks: { PreToolUse: [GUARD.group] }, statusLine: STATUS });
  assert.match(text, /^\{\n {2}"hooks": \{\n {4}"PreToolUse": \[\n {6}\{\n {8}"matcher": "Bash",/);
  assert.equal(removeFromSettings(text, record).text, '{}\n');
});

test('a hook group or statusLine the user edited after apply is left alone and reported', () => {
  const { text, record } = applyToSettings('{\n  "model": "opus"\n}\n', { vars: {}, hooks: [GUARD], statusLine: STATUS }, 'swrole');
  const edited = text.replace('--allow a,b', '--allow a,b,c').replace('agent statusline', 'agent statusline --short');
  const undone = removeFromSettings(edited, record);
  assert.deepEqual(undone.skipped, ['statusLine', `hooks.PreToolUse (${(GUARD.group.hooks as Array<{ command: string }>)[0]!.command})`]);
  assert.equal(parse(undone.text).model, 'opus');
});

test("swrole's own earlier statusLine is replaced in place (a new node path), a different one is refused", () => {
  const first = applyToSettings('{\n  "model": "opus"\n}\n', { vars: {}, statusLine: STATUS }, 'swrole');
  const moved = { type: 'command', command: '/usr/local/bin/node /opt/swrole.js agent statusline' };
  const second = applyToSettings(first.text, { vars: {}, statusLine: moved }, 'swrole', { prior: first.record });
  assert.deepEqual(parse(second.text).statusLine, moved);
  assert.equal(removeFromSettings(second.text, second.record).text, '{\n  "model": "opus"\n}\n');
  assert.throws(
    () => applyToSettings('{"statusLine": {"type": "command", "command": "mine"}}', { vars: {}, statusLine: STATUS }, 'swrole'),
    /already has a statusLine of its own \(mine\)/,
  );
});

test("a statusLine that is not an object (null, a string) is the user's: refused with E_SETTINGS_STATUSLINE, not a crash", () => {
  for (const value of ['null', '"my-status.sh"', '[]']) {
    assert.throws(
      () => applyToSettings(`{"statusLine": ${value}}`, { vars: {}, statusLine: STATUS }, 'swrole'),
      (e: unknown) => e instanceof SwroleError && e.code === 'E_SETTINGS_STATUSLINE' && e.exit === 6,
    );
  }
});

test('"hooks" of the wrong shape is refused with E_SETTINGS_INVALID', () => {
  for (const bad of ['{"hooks": []}', '{"hooks": {"PreToolUse": {}}}']) {
    assert.throws(
      () => applyToSettings(bad, { vars: {}, hooks: [GUARD] }, 'swrole'),
      (e: unknown) => e instanceof SwroleError && e.code === 'E_SETTINGS_INVALID' && e.exit === 6,
    );
  }
});
