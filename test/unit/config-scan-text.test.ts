// Issue 13, `swrole doctor`: what people copy into ~/.aws files that every AWS tool reads literally, as a spec sheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanConfigText, toHalfWidth } from '../../src/config/scan-config-text.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

// [line, findings as kind/where, fix (or undefined)]
const ROWS: Array<[string, Array<`${'quoted-value' | 'full-width'}/${'header' | 'key' | 'separator' | 'value'}`>, string | undefined]> = [
  ['region = us-east-1', [], undefined],
  ['region = "us-east-1"', ['quoted-value/value'], 'remove the quotes: region = us-east-1'],
  ["region = 'us-east-1'", ['quoted-value/value'], 'remove the quotes: region = us-east-1'],
  ['region = \u201cus-east-1\u201d', ['quoted-value/value'], 'remove the quotes: region = us-east-1'],
  ['region: "us-east-1"', ['quoted-value/value'], 'remove the quotes: region = us-east-1'],
  ['aws_access_key_id = "AKIAEXAMPLE0000000000"', ['quoted-value/value'], 'remove the quotes: aws_access_key_id = …'],
  [`aws_secret_access_key = "${SECRET}"`, ['quoted-value/value'], 'remove the quotes: aws_secret_access_key = …'],
  // A command's own quotes are shlex's and /bin/sh's.
  ['credential_process = "/opt/my tools/creds"', [], undefined],
  ['mfa_process = \'op read "op://x"\'', [], undefined],
  ['external_id = "abc', [], undefined],
  ['region\uff1dap-northeast-1', ['full-width/separator'], 'retype it in half-width (ASCII): region = ap-northeast-1'],
  ['\uff52\uff45\uff47\uff49\uff4f\uff4e = us-east-1', ['full-width/key'], 'retype it in half-width (ASCII): region = us-east-1'],
  ['region = \uff55\uff53-east-1', ['full-width/value'], 'retype it in half-width (ASCII): region = us-east-1'],
  [
    'role_arn = arn:aws:iam::\uff11\uff12\uff13456789012:role/x',
    ['full-width/value'],
    'retype it in half-width (ASCII): role_arn = arn:aws:iam::123456789012:role/x',
  ],
  [`aws_secret_access_key = ${SECRET}\u3000`, ['full-width/value'], 'retype it in half-width (ASCII): aws_secret_access_key = …'],
  ['[profile \uff44\uff45\uff56]', ['full-width/header'], 'write [profile dev]'],
  ['[profile\u3000dev]', ['full-width/header'], 'write [profile dev]'],
  // Japanese names are fine; only the full-width forms of ASCII are flagged.
  ['[profile "顧客 B"]', [], undefined],
  ['# region＝コメント', [], undefined],
  ['; "quoted" comment', [], undefined],
];

for (const [line, kinds, fix] of ROWS) {
  test(`scanConfigText: ${line}`, () => {
    const found = scanConfigText('/h/.aws/config', `[default]\n${line}\n`);
    assert.deepEqual(
      found.map((f) => `${f.kind}/${f.where}`),
      kinds,
    );
    if (fix !== undefined) assert.equal(found[0]!.fix, fix);
    for (const f of found) {
      assert.equal(f.line, 2);
      assert.match(f.message, /^\/h\/\.aws\/config:2: /);
      assert.doesNotMatch(`${f.message} ${f.fix}`, new RegExp(`${SECRET.replace(/[/+]/g, '\\$&')}|AKIAEXAMPLE`), 'a secret repeated');
    }
  });
}

test('toHalfWidth: the ASCII a full-width character stands for', () => {
  assert.equal(toHalfWidth('\uff21\uff3a\uff41\uff5a\uff10\uff19\uff1d\uff1a\u3000\uff3b\uff3d'), 'AZaz09=: []');
  assert.equal(toHalfWidth('顧客'), '顧客');
});
