import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIniDocument, serializeIniDocument, type IniDocument } from '../../src/config/ini-document.js';
import { appendSection, findSection, removeSection, setValue } from '../../src/config/ini-edit.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ini');

function roundTrip(text: string): string {
  return serializeIniDocument(parseIniDocument(text, 'x'));
}

/** Lines that differ between two texts (split on \n, enough to show an edit stayed local). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const removed = a.filter((l) => !b.includes(l));
  const added = b.filter((l) => !a.includes(l));
  return { removed, added };
}

/** Deterministic PRNG (mulberry32) so a failing soup can be reproduced from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOUP = [
  '\n',
  '\r',
  '\r\n',
  '[',
  ']',
  '=',
  ':',
  '#',
  ';',
  ' ',
  '\t',
  '\ufeff',
  '\u0085',
  '\u2028',
  '\u000b',
  'a',
  'B',
  'profile ',
  '"',
  '\\',
  '\ud800',
  '\0',
  'é',
  '𝄞',
];

describe('ini document round-trips byte for byte', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.ini'))
    .sort();
  it('has a fixture corpus', () => assert.ok(files.length >= 10, `only ${files.length} fixtures`));
  for (const name of files) {
    it(`fixture ${name} (as UTF-8 text and as raw bytes)`, () => {
      const bytes = readFileSync(join(FIXTURES, name));
      const latin1 = bytes.toString('latin1');
      assert.equal(Buffer.from(roundTrip(latin1), 'latin1').equals(bytes), true);
      const utf8 = bytes.toString('utf8');
      assert.equal(roundTrip(utf8), utf8);
    });
  }

  it('2,000 random soups of INI-ish characters, CR/LF/CRLF, BOMs and lone surrogates', () => {
    const next = random(42);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const pieces = Math.floor(next() * 60);
      for (let i = 0; i < pieces; i++) text += SOUP[Math.floor(next() * SOUP.length)];
      const doc = parseIniDocument(text, 'soup');
      assert.equal(serializeIniDocument(doc), text, `soup #${n}: ${JSON.stringify(text)}`);
      doc.lines.forEach((l, i) => assert.equal(l.line, i + 1));
      assert.ok(
        doc.lines.slice(0, -1).every((l) => l.eol !== ''),
        'only the last line may lack a line ending',
      );
    }
  });

  it('random byte soups (decoded as latin1) survive too', () => {
    const next = random(7);
    for (let n = 0; n < 500; n++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256)));
      assert.equal(Buffer.from(roundTrip(bytes.toString('latin1')), 'latin1').equals(bytes), true, `bytes #${n}`);
    }
  });
});

describe('line classification (1-based line numbers)', () => {
  const text = '# c\n[default]\nregion = us-east-1\n  more\n\n  ; c2\nbad line\n[profile a]\nk: v\n';
  const doc = parseIniDocument(text, 'f');
  const rows: Array<[number, string]> = [
    [1, 'comment'],
    [2, 'header'],
    [3, 'entry'],
    [4, 'continuation'],
    [5, 'blank'],
    [6, 'comment'],
    [7, 'other'],
    [8, 'header'],
    [9, 'entry'],
  ];
  for (const [line, kind] of rows) {
    it(`line ${line} is ${kind}`, () => assert.equal(doc.lines[line - 1]?.kind, kind));
  }
  it('entries keep raw key, separator and value', () => {
    const l = doc.lines[8];
    assert.ok(l?.kind === 'entry');
    assert.deepEqual([l.key, l.separator, l.value], ['k', ':', 'v']);
  });
  it('headers end at the last ]', () => {
    const l = parseIniDocument('[a]b] # x', 'f').lines[0];
    assert.ok(l?.kind === 'header');
    assert.equal(l.name, 'a]b');
  });
});

describe('edits touch only what they change', () => {
  const base =
    '# my config\n[default]\nregion = us-east-1 \n\n# about b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = default\n';
  const doc = parseIniDocument(base, '/home/u/.aws/config');

  it('findSection spans header to last key, not the next comment', () => {
    const range = findSection(doc, 'default');
    assert.deepEqual(range && [range.start, range.end, range.next], [1, 3, 5]);
    assert.equal(findSection(doc, 'profile nope'), undefined);
  });

  it('appendSection adds a blank line, the header and entries', () => {
    const out = serializeIniDocument(appendSection(doc, 'profile b.swrole', { credential_process: 'swrole process b' }));
    assert.equal(out, `${base}\n[profile b.swrole]\ncredential_process = swrole process b\n`);
  });

  it('appendSection keeps CRLF and completes a missing final newline', () => {
    const crlf = parseIniDocument('[default]\r\nregion = x', 'f');
    assert.equal(
      serializeIniDocument(appendSection(crlf, 'profile y', [['k', 'v']])),
      '[default]\r\nregion = x\r\n\r\n[profile y]\r\nk = v\r\n',
    );
  });

  it('appendSection on an empty file writes just the section', () => {
    assert.equal(serializeIniDocument(appendSection(parseIniDocument('', 'f'), 'default', [['a', '1']])), '[default]\na = 1\n');
  });

  it('removeSection removes the section and its trailing blank, keeps the next comment', () => {
    const out = serializeIniDocument(removeSection(doc, 'default'));
    assert.equal(out, '# my config\n# about b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = default\n');
  });

  it('removeSection of the last section drops the separator before it', () => {
    const appended = appendSection(doc, 'profile b.swrole', { credential_process: 'swrole process b' });
    assert.equal(serializeIniDocument(removeSection(appended, 'profile b.swrole')), base);
  });

  it('setValue replaces one value, keeping key spelling and spacing', () => {
    const out = serializeIniDocument(setValue(doc, 'default', 'REGION', 'eu-west-1'));
    assert.deepEqual(changedLines(base, out), { removed: ['region = us-east-1 '], added: ['region = eu-west-1'] });
  });

  it('setValue adds a missing key after the last key of the section', () => {
    const out = serializeIniDocument(setValue(doc, 'default', 'output', 'json'));
    assert.equal(out, base.replace('region = us-east-1 \n', 'region = us-east-1 \noutput = json\n'));
  });

  it('setValue drops the old continuation lines of a multi-line value', () => {
    const multi = parseIniDocument('[default]\ns3 =\n  a = 1\n\n  b = 2\nx = y\n', 'f');
    assert.equal(serializeIniDocument(setValue(multi, 'default', 's3', 'none')), '[default]\ns3 = none\nx = y\n');
  });

  it('setValue on a missing section appends it', () => {
    const out = serializeIniDocument(setValue(doc, 'profile c', 'region', 'us-west-2'));
    assert.equal(out, `${base}\n[profile c]\nregion = us-west-2\n`);
  });

  it('refuses line breaks in names and values (no line injection)', () => {
    assert.throws(() => setValue(doc, 'default', 'k', 'v\n[evil]'), { code: 'E_CONFIG_EDIT' });
    assert.throws(() => appendSection(doc, 'x]\n[y', {}), { code: 'E_CONFIG_EDIT' });
  });

  it('edits return a new document and leave the original alone', () => {
    const before: IniDocument = doc;
    setValue(doc, 'default', 'region', 'x');
    assert.equal(serializeIniDocument(before), base);
  });
});
