/**
 * Spec sheet for botocore's reading of one file (docs/reference/aws-behaviour.md §1.2, §1.3). Every row's
 * expectation is written out by hand (test/helpers/config-read-rows.ts) AND checked against botocore itself
 * (python3, configloader) in test/interop/config-read-sections-botocore.test.ts, so the sheet cannot drift
 * from the AWS CLI.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIniDocument } from '../../src/config/ini-document.js';
import { readSections } from '../../src/config/read-sections.js';
import { buildConfigFileMap } from '../../src/config/build-profile-map.js';
import { decodeConfigText } from '../../src/config/decode-config-text.js';
import { formatConfigWarning } from '../../src/config/config-warning.js';
import { isSwroleError } from '../../src/errors.js';
import { readConfig, ROWS } from '../helpers/config-read-rows.js';

describe('botocore reading rules (config file)', () => {
  for (const [rule, text, expected] of ROWS) {
    it(rule, () => assert.deepEqual(readConfig(text), expected));
  }
});

describe('errors name file:line and carry a hint', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['duplicate section', '[a]\n[a]\n', /^config:2: section \[a\] already appears on line 1$/],
    ['duplicate key', '[a]\nk = 1\nk = 2\n', /^config:3: key "k" appears twice in section \[a\]$/],
    ['no separator', '[a]\nhello\n', /^config:2: line has no "=" separator/],
    // A secret typed with a full-width ＝ (issue 13) is never quoted back; nor is anything key-like on a broken line.
    [
      'no separator, a secret key',
      '[a]\naws_secret_access_key\uff1dwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      /^config:2: line has no "=" separator: "aws_secret_access_key…"$/,
    ],
    [
      'no separator, a session token',
      '[a]\naws_session_token FwoGZXIvYXdzE\n',
      /^config:2: line has no "=" separator: "aws_session_token…"$/,
    ],
    ['no separator, a pasted key', '[a]\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n', /^config:2: line has no "=" separator: "…"$/],
    ['key before header', 'k = v\n', /^config:1: line before the first \[section\] header$/],
    ['BOM', '\ufeff[a]\n', /^config:1: file starts with a UTF-8 byte order mark/],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => {
      assert.throws(
        () => readSections(parseIniDocument(text, 'config')),
        (e: unknown) => {
          assert.ok(isSwroleError(e));
          assert.equal(e.code, 'E_CONFIG_PARSE');
          assert.equal(e.exit, 3);
          assert.match(e.message, message);
          assert.ok(e.hint && e.hint.length > 10);
          return true;
        },
      );
    });
  }
  it('non-UTF-8 bytes: the line of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('[a]\nk = ok\nj = caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    assert.throws(() => decodeConfigText(bytes, '/x/config'), { code: 'E_CONFIG_PARSE', message: '/x/config:3: invalid UTF-8 at byte 18' });
  });
  it('valid UTF-8 (accents, emoji) decodes', () => {
    assert.equal(decodeConfigText(Buffer.from('[a]\nk = café 🚀\n'), 'f'), '[a]\nk = café 🚀\n');
  });
});

describe('warnings for what the AWS SDK for JS (or a human) reads differently', () => {
  const rows: Array<[string, string, string, number, RegExp?]> = [
    ['inline comment', '[default]\nregion = us-east-1 # prod\n', 'W_INLINE_COMMENT', 2],
    [': separator', '[default]\nregion: us-east-1\n', 'W_COLON_SEPARATOR', 2],
    ['upper-case key', '[default]\nRegion = x\n', 'W_KEY_CASE', 2],
    ['empty value', '[default]\nregion =\n', 'W_EMPTY_VALUE', 2],
    ['multi-line value', '[default]\na = 1\n  2\n', 'W_MULTILINE_VALUE', 2],
    ['[DEFAULT]', '[DEFAULT]\na = 1\n', 'W_DEFAULT_SECTION', 1],
    [
      'unquoted header with a space',
      '[default]\n[profile Access CustomerA]\nk = v\n',
      'W_IGNORED_SECTION',
      2,
      /ignored by the AWS CLI and SDKs; write \[profile "Access CustomerA"\]$/,
    ],
    ['quoted name with a space', '[profile "Access CustomerA"]\n', 'W_SDK_IGNORES_SECTION', 1],
    ['[default] and [profile default]', '[default]\n[profile default]\n', 'W_DEFAULT_TWICE', 2],
    [
      '[foo] with profile keys in the config file',
      '[foo]\nrole_arn = arn:aws:iam::1:role/x\n',
      'W_NOT_A_PROFILE',
      1,
      /write \[profile foo\]$/,
    ],
  ];
  for (const [what, text, code, line, message] of rows) {
    it(`${what} → ${code} at line ${line}`, () => {
      const read = readSections(parseIniDocument(text, 'config'));
      const all = [...read.warnings, ...buildConfigFileMap(read.sections).warnings];
      const hit = all.find((w) => w.code === code);
      assert.ok(hit, `no ${code} in ${JSON.stringify(all)}`);
      assert.equal(hit.line, line);
      assert.match(formatConfigWarning(hit), new RegExp(`^config:${line}: `));
      if (message) assert.match(hit.message, message);
    });
  }
  it('a clean file has no warnings', () => {
    const read = readSections(
      parseIniDocument(
        '[default]\nregion = us-east-1\n[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = default\n',
        'config',
      ),
    );
    assert.deepEqual([...read.warnings, ...buildConfigFileMap(read.sections).warnings], []);
  });
});
