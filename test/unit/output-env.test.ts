import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCredentialProcess } from '../../src/output/credential-process-json.js';
import { CONFLICTING_ENV, credentialEnv, envToUnset } from '../../src/output/env-vars.js';
import { renderEnv } from '../../src/output/render-env.js';

const creds = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'wJalr/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjE//token==',
  expiration: '2026-11-22T23:20:21.000Z',
};

test('credentialEnv: full set, in order', () => {
  assert.deepEqual(credentialEnv({ ...creds, accountId: '111111111111' }, { region: 'eu-west-1', profile: 'prod admin' }), [
    ['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE'],
    ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
    ['AWS_SESSION_TOKEN', creds.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', '2026-11-22T23:20:21Z'],
    ['AWS_ACCOUNT_ID', '111111111111'],
    ['AWS_REGION', 'eu-west-1'],
    ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ['SWROLE_PROFILE', 'prod admin'],
    ['SWROLE_EXPIRATION', '2026-11-22T23:20:21Z'],
  ]);
});

test('credentialEnv: static keys, no region → only the keys; stale token etc. are unset', () => {
  const vars = credentialEnv({ accessKeyId: 'AKIA1', secretAccessKey: 's' }, { region: null });
  assert.deepEqual(vars, [
    ['AWS_ACCESS_KEY_ID', 'AKIA1'],
    ['AWS_SECRET_ACCESS_KEY', 's'],
  ]);
  const unset = envToUnset(vars);
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_CREDENTIAL_EXPIRATION']) {
    assert.ok(unset.includes(name), name);
  }
  assert.ok(!unset.includes('AWS_REGION'), 'the user region stays');
  assert.ok(!envToUnset(credentialEnv(creds, {})).includes('AWS_SESSION_TOKEN'));
  assert.ok(CONFLICTING_ENV.every((name) => !name.startsWith('AWS_ACCESS_KEY_ID')));
});

const vars: Array<[string, string]> = [
  ['A', "it's"],
  ['B', 'x'],
];
const table: Array<[Parameters<typeof renderEnv>[2], string]> = [
  ['sh', "unset U\nexport A='it'\\''s'\nexport B='x'\n"],
  ['fish', "set -e U; or true\nset -gx A 'it\\'s'\nset -gx B 'x'\n"],
  ['pwsh', "Remove-Item Env:U -ErrorAction SilentlyContinue\n$Env:A = 'it''s'\n$Env:B = 'x'\n"],
  ['cmd', 'set U=\nset "A=it\'s"\nset "B=x"\n'],
  ['dotenv', 'A="it\'s"\nB="x"\n'],
  ['json', '{\n  "A": "it\'s",\n  "B": "x"\n}\n'],
];
for (const [format, expected] of table) {
  test(`renderEnv ${format}`, () => assert.equal(renderEnv(vars, ['U'], format), expected));
}

test('renderEnv pwsh doubles typographic single quotes too', () => {
  assert.equal(renderEnv([['A', 'a\u2019b']], [], 'pwsh'), "$Env:A = 'a\u2019\u2019b'\n");
});

test('renderEnv dotenv escapes \\ " and line breaks', () => {
  assert.equal(renderEnv([['A', 'a\\b"c\nd']], [], 'dotenv'), 'A="a\\\\b\\"c\\nd"\n');
});

const refused: Array<[Parameters<typeof renderEnv>[2], string]> = [
  ['cmd', '100%'],
  ['cmd', 'bang!'],
  ['cmd', 'say "hi"'],
  ['cmd', 'two\nlines'],
  ['dotenv', 'costs $5'],
  ['dotenv', 'ends with \\'],
  ['sh', 'nul\0byte'],
];
for (const [format, value] of refused) {
  test(`renderEnv ${format} refuses ${JSON.stringify(value)} with E_OUTPUT_UNSAFE, exit 2, never echoing the value`, () => {
    assert.throws(
      () => renderEnv([['SECRET', value]], [], format),
      (error: Error & { code?: string; exit?: number }) => {
        assert.equal(error.code, 'E_OUTPUT_UNSAFE');
        assert.equal(error.exit, 2);
        assert.ok(!error.message.includes(value));
        return true;
      },
    );
  });
}

test('renderEnv --names-comment: a first line naming what is set, before any value (sh, fish, pwsh only)', () => {
  const vars: Array<[string, string]> = [
    ['A', 'x\nexport PATH=/nowhere'],
    ['B', 'y'],
  ];
  assert.equal(
    renderEnv(vars, ['U'], 'sh', { namesComment: true }),
    "# swrole-names: A B\nunset U\nexport A='x\nexport PATH=/nowhere'\nexport B='y'\n",
  );
  assert.match(renderEnv(vars, [], 'fish', { namesComment: true }), /^# swrole-names: A B\nset -gx A /);
  assert.match(renderEnv(vars, [], 'pwsh', { namesComment: true }), /^# swrole-names: A B\n\$Env:A = /);
  assert.equal(renderEnv([], [], 'sh', { namesComment: true }), '# swrole-names:\n');
  for (const format of ['json', 'dotenv', 'cmd'] as const)
    assert.doesNotMatch(renderEnv(vars.slice(1), [], format, { namesComment: true }), /swrole-names/);
});

test('renderEnv refuses invalid names', () => {
  assert.throws(() => renderEnv([['A;rm', 'x']], [], 'sh'), { code: 'E_OUTPUT_NAME' });
  assert.throws(() => renderEnv([], ['$(x)'], 'sh'), { code: 'E_OUTPUT_NAME' });
});

test('renderCredentialProcess: Version 1, one line, Z expiry, optional keys only when known', () => {
  const line = renderCredentialProcess({ ...creds, expiration: '2026-11-22T23:20:21+00:00', accountId: '111111111111' });
  assert.equal(line.split('\n').length, 2);
  assert.ok(line.endsWith('\n'));
  assert.deepEqual(JSON.parse(line), {
    Version: 1,
    AccessKeyId: 'ASIAEXAMPLE',
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken,
    Expiration: '2026-11-22T23:20:21Z',
    AccountId: '111111111111',
  });
  assert.deepEqual(Object.keys(JSON.parse(renderCredentialProcess({ accessKeyId: 'A', secretAccessKey: 'S' }))), [
    'Version',
    'AccessKeyId',
    'SecretAccessKey',
  ]);
});
