// The AWS SDK's Node 20 warning never shows in the suite's output: every test file that imports an SDK client
// into its own process also imports the silencer (test/helpers/silence-sdk-node-warning.ts). The silencer is not
// loaded into every test process: most never touch the SDK, and loading its core cost each of them CPU.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const TEST_DIR = join(import.meta.dirname, '..');
const IMPORTS_SDK = /^import\s[^;]*?from\s+'@(aws-sdk|smithy)\/[^']+';/ms;
const IMPORTS_SILENCER = /^import '\.\.\/helpers\/silence-sdk-node-warning\.js';$/m;

describe('the SDK warning is silenced in test processes', () => {
  it('every test file importing the AWS SDK imports the silencer', () => {
    const files = readdirSync(TEST_DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(TEST_DIR, f));
    const sdkUsers = files.filter((f) => IMPORTS_SDK.test(readFileSync(f, 'utf8')));
    assert.ok(sdkUsers.length >= 5, `only ${sdkUsers.length} test files import the SDK: the pattern no longer matches`);
    const missing = sdkUsers.filter((f) => !IMPORTS_SILENCER.test(readFileSync(f, 'utf8'))).map((f) => relative(TEST_DIR, f));
    assert.deepEqual(missing, []);
  });
});
