import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODES, exitCodeOf, SwroleError, type ErrorCode } from '../../src/errors.js';
import { assertedCodes } from '../helpers/asserted-error-codes.js';

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

/** Every .ts file under test/ but this one (a code named here asserts nothing about swrole). */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return entry.name.endsWith('.ts') && path !== import.meta.filename ? [path] : [];
  });
}

test('error codes: every code in the registry is asserted by some test (the rule: test/helpers/asserted-error-codes.ts)', () => {
  const asserted = new Map<string, string[]>();
  for (const file of testFiles(join(ROOT, 'test')))
    for (const code of assertedCodes(readFileSync(file, 'utf8'), CODES, file))
      asserted.set(code, [...(asserted.get(code) ?? []), relative(ROOT, file)]);
  const missing = CODES.filter((code) => !asserted.has(code));
  assert.deepEqual(
    missing,
    [],
    `codes no test asserts (provoke the real condition and assert the code, exit and message): ${missing.join(', ')}`,
  );
});

describe('error codes: what counts as asserting a code', () => {
  const rows: [string, string, boolean][] = [
    ['an expected-error object', "assert.throws(() => f(), { code: 'E_USAGE', exit: 2 });", true],
    ['a table row with a code field', "const rows = [{ input: 'x', code: 'E_USAGE' }];", true],
    ["an error's code compared with ===", "assert.throws(f, (e) => e instanceof SwroleError && e.code === 'E_USAGE');", true],
    ['the code on the left of ==', "if ('E_USAGE' == error.code) ok();", true],
    ['assert.equal on the code', "assert.equal(error.code, 'E_USAGE');", true],
    ['a test helper named rejects/expect…', "await rejects(obtain('a'), 'E_USAGE');", true],
    ['a cell of a table-driven test', "const rows = [['no flag', ['x'], 'E_USAGE'], ['ok', [], 'static:a']];", true],
    ['a regex an assertion matches', 'assert.match(r.stderr, /code: E_USAGE/);', true],
    ['a regex in an expected-error object', 'assert.throws(f, { message: /E_USAGE/ });', true],
    ['a test title', "it('bad flags give E_USAGE', () => {});", false],
    ['a comment', "// E_USAGE is raised here\nconst x = 1; /* 'E_USAGE' */", false],
    ['a flat list of names', "const codes = ['E_USAGE'];", false],
    ['a value returned by a mapping function', "function map() { return 'E_USAGE'; }", false],
    ['a negative assertion', "assert.notEqual(e.code, 'E_USAGE'); assert.doesNotMatch(out, /E_USAGE/);", false],
    ['compared with something that is not a code', "if (name === 'E_USAGE') x();", false],
    ['!== (a guard, not an assertion)', "if (e.code !== 'E_USAGE') throw e;", false],
    ['a regex that no assertion uses', 'const re = /E_USAGE/;', false],
    ['a string that is not a registry code', "assert.equal(e.code, 'E_NOT_A_CODE');", false],
  ];
  for (const [what, source, counts] of rows) {
    it(`${what}: ${counts ? 'counts' : 'does not count'}`, () => {
      assert.equal(assertedCodes(source, CODES).has('E_USAGE'), counts, source);
      assert.equal(assertedCodes(source, CODES).has('E_NOT_A_CODE'), false);
    });
  }
});
