import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, exitCodeOf, SwroleError, type ErrorCode } from '../../src/errors.js';

const ROOT = join(import.meta.dirname, '../..');
const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

/** `| \`E_X\` | 4 | ...` rows of a markdown table → code → exit. */
function documentedExits(file: string): Map<string, number> {
  const rows = readFileSync(join(ROOT, file), 'utf8').matchAll(/^\| `(E_[A-Z0-9_]+)` \| (\d+) \|/gm);
  return new Map([...rows].map((m) => [m[1]!, Number(m[2])]));
}

for (const file of ['ARCHITECTURE.md', 'docs/troubleshooting.md']) {
  test(`error codes: ${file} documents exactly the registry, with the registry's exit codes`, () => {
    const documented = documentedExits(file);
    assert.deepEqual([...documented.keys()].sort(), [...CODES].sort());
    for (const code of CODES) assert.equal(documented.get(code), exitCodeOf(code), `${code} in ${file}`);
  });
}

test('error codes: the exit code comes from the code (a throw site cannot pick another)', () => {
  assert.equal(new SwroleError('E_USAGE', 'x').exit, 2);
  assert.equal(new SwroleError('E_PROFILE_NOT_FOUND', 'x').exit, 3);
  assert.equal(new SwroleError('E_ACCESS_DENIED', 'x').exit, 4);
  assert.equal(new SwroleError('E_EXEC_NOT_FOUND', 'x').exit, 127);
  assert.equal(new SwroleError('E_EXEC_NOT_EXECUTABLE', 'x').exit, 126);
  for (const code of CODES) assert.ok([1, 2, 3, 4, 5, 6, 126, 127, 130].includes(exitCodeOf(code)), code);
});
