// Issue 13, the profile picker's logic without a terminal: the fuzzy ranking, the row layout (display width:
// spaced and Japanese names line up), and what each key does to the picker's state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzyRank, fuzzyScore } from '../../src/output/fuzzy-rank.js';
import { layoutPickerRows, type PickerRow } from '../../src/output/picker-layout.js';
import { applyKey, filterRows, renderPicker, type PickerState } from '../../src/output/run-picker.js';
import { displayWidth } from '../../src/output/display-width.js';

const rank = (query: string, names: string[]) => fuzzyRank(query, names, (n) => [n]);

test('fuzzyScore: a subsequence matches, case-insensitively and by code point; anything else does not', () => {
  assert.notEqual(fuzzyScore('prd', 'prod'), undefined);
  assert.notEqual(fuzzyScore('PROD', 'prod'), undefined);
  assert.notEqual(fuzzyScore('顧B', '顧客 B'), undefined);
  assert.equal(fuzzyScore('dp', 'prod'), undefined, 'order matters');
  assert.equal(fuzzyScore('prodd', 'prod'), undefined);
  assert.equal(fuzzyScore('', 'anything'), 0);
  assert.equal(fuzzyScore('   ', 'anything'), 0, 'spaces in the query are ignored');
});

test('fuzzyRank: start of name and word starts beat scattered matches; consecutive beats gapped; ties keep the shorter, then the file order', () => {
  // consecutive at the start > consecutive at a word start > at word starts apart > inside a word.
  assert.deepEqual(rank('prod', ['nonprod-db', 'p-r-o-d', 'sw-production', 'prod']), ['prod', 'sw-production', 'p-r-o-d', 'nonprod-db']);
  // `sp` at two word starts (sw staging → s…, production → p) beats an `s` and `p` inside words.
  assert.deepEqual(rank('sp', ['aspx', 'sw-production']), ['sw-production', 'aspx']);
  // camelCase word start.
  assert.deepEqual(rank('ca', ['xxcxxa', 'AccessCustomerA']), ['AccessCustomerA', 'xxcxxa']);
  assert.deepEqual(rank('dev', ['develop', 'dev']), ['dev', 'develop'], 'same score: the shorter name first');
  assert.deepEqual(rank('', ['b', 'a', 'c']), ['b', 'a', 'c'], 'no query: the order of the files');
  assert.deepEqual(rank('zz', ['a', 'b']), []);
  assert.deepEqual(rank('顧客', ['prod', '顧客 B', '顧x客']), ['顧客 B', '顧x客']);
});

test('fuzzyRank: a match in a later key (account, role) ranks after every match in the name', () => {
  const rows = [
    { name: 'alpha', text: 'alpha 111111111111 Admin' },
    { name: 'admin-tools', text: 'admin-tools 222222222222 Ops' },
  ];
  assert.deepEqual(
    fuzzyRank('admin', rows, (r) => [r.name, r.text]).map((r) => r.name),
    ['admin-tools', 'alpha'],
  );
  assert.deepEqual(
    fuzzyRank('2222', rows, (r) => [r.name, r.text]).map((r) => r.name),
    ['admin-tools'],
  );
});

const ROWS: PickerRow[] = [
  { profile: 'prod', account: '111111111111', role: 'Admin', region: 'ap-northeast-1' },
  { profile: '顧客 B', account: '222222222222', role: '顧客Admin', region: 'eu-west-1' },
  { profile: 'sw staging', account: '333333333333', role: 'Deploy', region: '' },
  { profile: 'base', account: '', role: '(access keys)', region: 'us-east-1' },
];

test('layoutPickerRows: columns padded by display width, so spaced and Japanese names line up', () => {
  const layout = layoutPickerRows(ROWS, 200);
  const lines = ROWS.map(layout);
  assert.deepEqual(lines, [
    'prod        111111111111  Admin          ap-northeast-1',
    '顧客 B      222222222222  顧客Admin      eu-west-1',
    'sw staging  333333333333  Deploy',
    'base                      (access keys)  us-east-1',
  ]);
  const column = (line: string, text: string) => displayWidth(line.slice(0, line.indexOf(text)));
  assert.equal(column(lines[0]!, '111'), column(lines[1]!, '222'));
  assert.equal(column(lines[0]!, 'ap-'), column(lines[1]!, 'eu-'));
  assert.equal(column(lines[0]!, 'Admin'), column(lines[1]!, '顧客Admin'));
});

test('layoutPickerRows: widths come from every row (stable while filtering); lines are cut to the terminal; control characters become spaces', () => {
  const layout = layoutPickerRows(ROWS, 30);
  assert.equal(layout(ROWS[0]!), 'prod        111111111111  Adm…');
  assert.ok(ROWS.map(layout).every((l) => displayWidth(l) <= 30));
  const long = { profile: 'x'.repeat(60), account: '', role: 'a\nb', region: 'r' };
  const line = layoutPickerRows([long], 200)(long);
  assert.equal(line, `${'x'.repeat(39)}…    a b  r`);
});

const fresh = (): PickerState => ({ query: '', matches: filterRows(ROWS, ''), cursor: 0, top: 0 });
const key = (name: string, extra: object = {}) => ({ name, ...extra });
const typed = (sequence: string) => ({ sequence, name: sequence.length === 1 ? sequence : undefined });

test('applyKey: typing filters, arrows and Ctrl-N/Ctrl-P move (wrapping), Enter picks, Ctrl-C and Esc cancel', () => {
  const s = fresh();
  assert.deepEqual(applyKey(s, ROWS, key('down')), { kind: 'continue' });
  assert.equal(s.cursor, 1);
  applyKey(s, ROWS, key('n', { ctrl: true }));
  assert.equal(s.cursor, 2);
  applyKey(s, ROWS, key('p', { ctrl: true }));
  applyKey(s, ROWS, key('up'));
  applyKey(s, ROWS, key('up'));
  assert.equal(s.cursor, ROWS.length - 1, 'up from the top wraps to the bottom');
  assert.deepEqual(applyKey(s, ROWS, key('return')), { kind: 'picked', row: ROWS[3] });

  const t = fresh();
  for (const c of ['顧', '客']) applyKey(t, ROWS, typed(c));
  assert.equal(t.query, '顧客');
  assert.deepEqual(
    t.matches.map((r) => r.profile),
    ['顧客 B'],
  );
  assert.deepEqual(applyKey(t, ROWS, key('enter')), { kind: 'picked', row: ROWS[1] });
  applyKey(t, ROWS, key('backspace'));
  assert.equal(t.query, '顧', 'backspace removes one character (a code point, not a UTF-16 unit)');
  applyKey(t, ROWS, key('u', { ctrl: true }));
  assert.equal(t.query, '');
  assert.equal(t.matches.length, ROWS.length);

  const none = fresh();
  for (const c of 'zzz') applyKey(none, ROWS, typed(c));
  assert.deepEqual(applyKey(none, ROWS, key('return')), { kind: 'continue' }, 'Enter with no match does nothing');

  assert.deepEqual(applyKey(fresh(), ROWS, key('c', { ctrl: true })), { kind: 'cancelled' });
  assert.deepEqual(applyKey(fresh(), ROWS, key('escape')), { kind: 'cancelled' });
  assert.deepEqual(applyKey(fresh(), ROWS, key('d', { ctrl: true })), { kind: 'cancelled' });
  const ctrlA = fresh();
  applyKey(ctrlA, ROWS, { name: 'a', ctrl: true, sequence: '\x01' });
  assert.equal(ctrlA.query, '', 'control keys are not typed into the query');
});

test('renderPicker: the query line, a window that scrolls with the cursor on a short terminal, a status line', () => {
  const many: PickerRow[] = Array.from({ length: 30 }, (_, i) => ({ profile: `p${i}`, account: '', role: '', region: '' }));
  const s: PickerState = { query: '', matches: filterRows(many, ''), cursor: 0, top: 0 };
  let lines = renderPicker(s, many, { columns: 80, rows: 8 }, 'pick › ');
  assert.equal(lines[0], 'pick › ');
  assert.equal(lines.length, 1 + 5 + 1, 'rows - 3 listed on an 8-row terminal');
  assert.match(lines[1]!, /^\x1b\[1m> p0/);
  assert.match(lines.at(-1)!, /^ {2}30\/30 /);
  s.cursor = 12;
  lines = renderPicker(s, many, { columns: 80, rows: 40 }, 'pick › ');
  assert.equal(lines.length, 1 + 10 + 1, 'at most 10 listed');
  assert.ok(
    lines.some((l) => l.includes('> p12')),
    'the cursor row is in view',
  );
  const empty: PickerState = { query: 'zz', matches: [], cursor: 0, top: 0 };
  assert.match(renderPicker(empty, many, { columns: 80, rows: 40 }, 'pick › ').join('\n'), /no profile matches "zz"/);
});
