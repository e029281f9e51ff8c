// Terminal columns by UAX #11 (what tables and the profile picker pad by): a spec sheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, padDisplayEnd, truncateDisplay } from '../../src/output/display-width.js';
import { renderTable } from '../../src/output/render-table.js';

const WIDTHS: Array<[string, number]> = [
  ['', 0],
  ['prod', 4],
  ['Access CustomerA', 16],
  ['顧客 B', 6],
  ['本番環境', 8],
  ['ｶﾀｶﾅ', 4], // halfwidth katakana: one column each
  ['ＡＢＣ', 6], // fullwidth Latin
  ['한국', 4],
  ['é', 1], // precomposed
  ['e\u0301', 1], // e + combining acute
  ['a\u200bb', 2], // zero-width space
  ['🚀', 2],
  ['tab\there', 7], // a control character takes no column
];
for (const [text, width] of WIDTHS) {
  test(`displayWidth(${JSON.stringify(text)}) = ${width}`, () => assert.equal(displayWidth(text), width));
}

test('padding and truncation count columns, not code units', () => {
  assert.equal(padDisplayEnd('顧客', 6), '顧客  ');
  assert.equal(padDisplayEnd('toolong', 3), 'toolong');
  assert.equal(truncateDisplay('本番環境アカウント', 9), '本番環境…');
  assert.equal(truncateDisplay('prod', 9), 'prod');
});

test('a table lines up Japanese names with ASCII ones', () => {
  const text = renderTable(
    ['PROFILE', 'KIND'],
    [
      ['顧客 B', 'role'],
      ['prod', 'role'],
    ],
  );
  assert.equal(text, 'PROFILE  KIND\n顧客 B   role\nprod     role\n');
});
