import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEnvToSettings, removeFromSettings } from '../../src/agent/claude/claude-settings-apply.js';
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

const parse = (text: string): Record<string, unknown> => JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;

test('the corpus has real-world-shaped files', () => {
  assert.ok(fixtures.length >= 12, `only ${fixtures.length} fixtures`);
});

for (const name of fixtures) {
  test(`${name}: apply merges env, keeps every other key; remove restores the original bytes`, () => {
    const original = readFileSync(join(DIR, name), 'utf8');
    const before = parse(original);
    const { text, record } = applyEnvToSettings(original, VARS, 'swrole');
    const after = parse(text);
    const { env: envBefore, ...restBefore } = before;
    const { env: envAfter, ...restAfter } = after;
    assert.deepEqual(restAfter, restBefore);
    assert.deepEqual(Object.keys(restAfter), Object.keys(restBefore), 'key order kept');
    assert.deepEqual(envAfter, { ...(envBefore as object | undefined), ...VARS });
    assert.equal(text.includes('\r\n'), original.includes('\r\n'), 'line endings kept');
    if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(text), 'no bare LF in a CRLF file');
    assert.equal(/\n$/.test(text), /\n$/.test(original), 'trailing newline kept');
    assert.equal(text.startsWith('\uFEFF'), original.startsWith('\uFEFF'));
    if (/\n\t/.test(original)) assert.ok(!/\n {2}/.test(text), 'tab-indented file stays tab-indented');
    const undone = removeFromSettings(text, record);
    assert.deepEqual(undone.skipped, []);
    assert.equal(undone.text, original);
  });
}

test('existing values are replaced and restored; the record holds the previous raw text', () => {
  const original = readFileSync(join(DIR, 'env-existing-tabs.json'), 'utf8');
  const { text, record } = applyEnvToSettings(original, { AWS_PROFILE: 'agent', AWS_REGION: 'us-east-1' }, 'swrole');
  assert.deepEqual(record.entries, [
    { key: 'AWS_PROFILE', value: 'agent', previous: '"old-profile"' },
    { key: 'AWS_REGION', value: 'us-east-1', previous: '"eu-west-1"' },
  ]);
  assert.equal(record.createdEnv, false);
  assert.ok(text.includes('\t\t"AWS_PROFILE": "agent"'));
  assert.equal(removeFromSettings(text, record).text, original);
});

test("a second apply keeps the first one's previous values, so one remove restores the original", () => {
  const original = readFileSync(join(DIR, 'env-existing-tabs.json'), 'utf8');
  const first = applyEnvToSettings(original, { AWS_PROFILE: 'one', AWS_CONFIG_FILE: '/a' }, 'swrole');
  const second = applyEnvToSettings(first.text, { AWS_PROFILE: 'two', AWS_SHARED_CREDENTIALS_FILE: '/b' }, 'swrole', {
    prior: first.record,
  });
  assert.equal((parse(second.text).env as Record<string, string>).AWS_PROFILE, 'two');
  assert.equal(removeFromSettings(second.text, second.record).text, original);
});

test('a value the user changed after apply is left alone and reported', () => {
  const original = '{\n  "model": "opus"\n}\n';
  const { text, record } = applyEnvToSettings(original, { AWS_PROFILE: 'agent', AWS_REGION: 'eu-west-1' }, 'swrole');
  const edited = text.replace('"eu-west-1"', '"ap-northeast-1"');
  const undone = removeFromSettings(edited, record);
  assert.deepEqual(undone.skipped, ['env.AWS_REGION']);
  assert.deepEqual(parse(undone.text), { model: 'opus', env: { AWS_REGION: 'ap-northeast-1' } });
});

test('other keys the user added to env after apply survive remove', () => {
  const original = '{\n  "env": {\n    "A": "1"\n  }\n}\n';
  const { text, record } = applyEnvToSettings(original, { AWS_PROFILE: 'agent' }, 'swrole');
  const edited = text.replace('"AWS_PROFILE": "agent"', '"AWS_PROFILE": "agent",\n    "B": "2"');
  assert.deepEqual(parse(removeFromSettings(edited, record).text), { env: { A: '1', B: '2' } });
});

test('a new file is created as formatted JSON with only env', () => {
  const { text, record } = applyEnvToSettings(undefined, { AWS_PROFILE: 'agent' }, 'swrole');
  assert.equal(text, '{\n  "env": {\n    "AWS_PROFILE": "agent"\n  }\n}\n');
  assert.equal(removeFromSettings(text, record).text, '{}\n');
});

const invalid: Array<[string, string, RegExp]> = [
  ['comment', '{\n  // mine\n  "a": 1\n}\n', /settings\.local\.json:2:3: .*comments/],
  ['trailing comma', '{\n  "a": 1,\n}\n', /:3:1: .*trailing comma/],
  ['truncated', '{\n  "a": [1, 2', /:2:13: .*end of file/],
  ['two documents', '{}\n{}\n', /:2:1: .*after the end/],
  ['single quotes', "{'a': 1}", /:1:2: .*key was expected/],
  ['top-level array', '[]', /top level is not a JSON object/],
  ['env not an object', '{"env": ["A=1"]}', /"env" is not an object/],
];
for (const [label, text, message] of invalid) {
  test(`refuses ${label} with file:line:column (E_SETTINGS_INVALID, exit 6)`, () => {
    assert.throws(
      () => applyEnvToSettings(text, { AWS_PROFILE: 'x' }, 'swrole', { file: '/p/.claude/settings.local.json' }),
      (e: unknown) =>
        e instanceof SwroleError && e.code === 'E_SETTINGS_INVALID' && e.exit === 6 && message.test(e.message) && e.hint !== undefined,
    );
  });
}

// An env entry without a name or with a non-string value can only come from a bug in swrole (the commands build
// the variables): refused before any byte is patched, exit 1, never written into the user's file.
for (const [label, vars] of [
  ['an empty variable name', { '': 'x' }],
  ['a value that is not a string', { AWS_PROFILE: 42 as unknown as string }],
] as const) {
  test(`refuses ${label} (E_SETTINGS_VALUE, exit 1: a bug in swrole)`, () => {
    assert.throws(() => applyEnvToSettings('{}\n', vars, 'swrole', { file: '/p/.claude/settings.local.json' }), {
      code: 'E_SETTINGS_VALUE',
      exit: 1,
      message: /^\/p\/\.claude\/settings\.local\.json: env entry ".*" needs a name and a string value$/,
      hint: /a bug in swrole: please report it/,
    });
  });
}
