// `swrole list` writes its table in pieces (issue 16): the pieces join to exactly the table renderTable gives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable, writeTable } from '../../src/output/render-table.js';

describe('writeTable', () => {
  const headers = ['PROFILE', 'KIND', 'ROLE'];
  const rows = [
    ['dev', 'role', 'arn:aws:iam::111111111111:role/Dev'],
    ['本番', null, ''],
    ['multi\nline', 'static', 'x\ty'],
    ['a-much-longer-profile-name', 'none', null],
    ['e\u0301', 'sso', '-'],
  ];

  it('in pieces of any size, joins to the whole table', () => {
    const whole = renderTable(headers, rows);
    assert.match(whole, /^PROFILE {21}KIND {4}ROLE\n/);
    assert.equal(whole.split('\n').length, rows.length + 2);
    for (const size of [1, 2, 3, 1000]) {
      const pieces: string[] = [];
      writeTable(headers, rows, (chunk) => pieces.push(chunk), size);
      assert.equal(pieces.join(''), whole, `rowsPerChunk ${size}`);
      assert.equal(pieces.length, Math.ceil((rows.length + 1) / size));
      for (const piece of pieces) assert.ok(piece.endsWith('\n'));
    }
  });

  it('a wide profile name and a control character keep the columns aligned', () => {
    const lines = renderTable(headers, rows).split('\n');
    const kindColumn = lines[0]!.indexOf('KIND');
    // "本番" is two columns per character: 4 columns, so 2 more spaces than characters would say.
    assert.equal(lines[2]!.indexOf('-'), kindColumn - 2);
    assert.equal(lines[3], `multi line${' '.repeat(kindColumn - 10)}static  x y`);
  });
});
