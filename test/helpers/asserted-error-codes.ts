// Which error codes the tests assert: the rule behind "every code in ERROR_CODES is asserted by some test"
// (test/unit/error-codes.test.ts). A code's name merely appearing in a test (a title, a comment, a lookup
// table, a mapping function) does not count: it must stand where a test checks an error against it. Read
// with the TypeScript parser, so comments and strings are told apart exactly.
import ts from 'typescript';

/** Assertion methods that state what must NOT happen: a code named there is not asserted. */
const NEGATIVE = new Set([
  'notEqual',
  'notStrictEqual',
  'notDeepEqual',
  'notDeepStrictEqual',
  'doesNotMatch',
  'doesNotThrow',
  'doesNotReject',
]);

/** `assert(...)`, `assert.x(...)` (not a negative one), or a test helper named assert…/expect…/rejects…/throws…. */
function isAssertionCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return /^(assert|expect|rejects|throws)/i.test(callee.text);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'assert') return !NEGATIVE.has(method);
    return /^(assert|expect)/i.test(method);
  }
  return false;
}

/** `x.code` (any object's code property). */
const isCodeAccess = (node: ts.Node) => ts.isPropertyAccessExpression(node) && node.name.text === 'code';

/**
 * Where a string literal equal to a code counts as asserting it:
 *  1. the value of a `code` property: `assert.throws(f, { code: 'E_X' })`, a table row `{ …, code: 'E_X' }`;
 *  2. compared with an error's code: `e.code === 'E_X'` (also `==`, either side);
 *  3. a direct argument of an assertion: `assert.equal(e.code, 'E_X')`, `rejects(promise, 'E_X')`;
 *  4. a cell of a table-driven test: an element of an array that is itself an element of an array
 *     (`[[name, input, 'E_X'], …]`: the expected outcome of that row).
 */
function stringCounts(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const name = parent.name;
    return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'code';
  }
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return false;
    return isCodeAccess(parent.left === node ? parent.right : parent.left);
  }
  if (isAssertionCall(parent)) return parent.arguments.includes(node as ts.Expression);
  if (ts.isArrayLiteralExpression(parent)) return ts.isArrayLiteralExpression(parent.parent);
  return false;
}

/**
 * Where a regular expression naming a code counts: a pattern an assertion matches output or an error against
 *  5. a direct argument of an assertion: `assert.match(stderr, /code: E_X/)`, `assert.throws(f, /E_X/)`;
 *  6. a property of an object passed to an assertion: `assert.throws(f, { message: /E_X/ })`.
 */
function regexCounts(node: ts.RegularExpressionLiteral): boolean {
  const parent = node.parent;
  if (isAssertionCall(parent)) return parent.arguments.includes(node);
  return ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent) && isAssertionCall(parent.parent.parent);
}

/** The codes among `codes` that `source` (a test file's text) asserts, by the rules above. */
export function assertedCodes(source: string, codes: readonly string[], fileName = 'test.ts'): Set<string> {
  const known = new Set(codes);
  const found = new Set<string>();
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && known.has(node.text) && stringCounts(node))
      found.add(node.text);
    if (ts.isRegularExpressionLiteral(node) && regexCounts(node))
      for (const m of node.text.matchAll(/\bE_[A-Z0-9_]+\b/g)) if (known.has(m[0])) found.add(m[0]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
