/**
 * The spec sheet of botocore's reading of one config file (docs/reference/aws-behaviour.md §1.2, §1.3): each row's
 * expectation is written out by hand; test/unit/config-read-sections.test.ts checks swrole against the rows and
 * test/interop/config-read-sections-botocore.test.ts checks the rows against botocore itself.
 */
import { parseIniDocument } from '../../src/config/ini-document.js';
import { readSections } from '../../src/config/read-sections.js';
import { buildConfigFileMap } from '../../src/config/build-profile-map.js';
import type { ConfigValue } from '../../src/config/types.js';
import { isSwroleError } from '../../src/errors.js';

export type Values = Record<string, ConfigValue>;
export type Expect =
  { profiles: Record<string, Values>; sso?: Record<string, Values>; services?: Record<string, Values> } | { error: number };

export function readConfig(text: string): Expect {
  try {
    const map = buildConfigFileMap(readSections(parseIniDocument(text, 'config')).sections);
    const plain = (m: Map<string, { values: Values }>): Record<string, Values> =>
      Object.fromEntries([...m].map(([k, s]) => [k, { ...s.values }]));
    const result: Expect = { profiles: plain(map.profiles) };
    if (map.ssoSessions.size) result.sso = plain(map.ssoSessions);
    if (map.services.size) result.services = plain(map.services);
    return result;
  } catch (e) {
    if (!isSwroleError(e) || e.code !== 'E_CONFIG_PARSE') throw e;
    const line = Number(/^config:(\d+): /.exec(e.message)?.[1]);
    return { error: line };
  }
}

// [rule, config-file text, expected]
export const ROWS: Array<[string, string, Expect]> = [
  ['[default] is a profile', '[default]\nregion = us-east-1\n', { profiles: { default: { region: 'us-east-1' } } }],
  ['[profile foo] is profile foo', '[profile foo]\nk = v\n', { profiles: { foo: { k: 'v' } } }],
  ['[foo] is not a profile in the config file', '[foo]\nregion = x\n', { profiles: {} }],
  ['[profile   foo  ] is trimmed by shlex', '[profile   foo  ]\nk = v\n', { profiles: { foo: { k: 'v' } } }],
  ['[ profile bar ] is not a profile', '[ profile bar ]\nk = v\n', { profiles: {} }],
  ['[profile "a b"] is profile "a b"', '[profile "a b"]\nk = v\n', { profiles: { 'a b': { k: 'v' } } }],
  ["[profile 'q'] is profile q", "[profile 'q']\nk = v\n", { profiles: { q: { k: 'v' } } }],
  ['[profile Access CustomerA] is silently ignored', '[profile Access CustomerA]\nk = v\n', { profiles: {} }],
  ['[profilefoo] and [profile] are ignored', '[profilefoo]\na = 1\n[profile]\nb = 2\n', { profiles: {} }],
  [
    '[profile a.b] / [profile a@b+c] keep their characters',
    '[profile a.b]\nk = 1\n[profile a@b+c]\nk = 2\n',
    { profiles: { 'a.b': { k: '1' }, 'a@b+c': { k: '2' } } },
  ],
  ['unclosed quote in a header: ignored', '[profile "x]\nk = v\n', { profiles: {} }],
  [
    '[profile default] then [default]: later wins wholesale',
    '[profile default]\na = 1\n[default]\nb = 2\n',
    { profiles: { default: { b: '2' } } },
  ],
  [
    '[default] then [profile default]: later wins wholesale',
    '[default]\nb = 2\n[profile default]\na = 1\n',
    { profiles: { default: { a: '1' } } },
  ],
  [
    '[sso-session s] and [services dev]',
    '[sso-session s]\nsso_region = us-east-1\n[services dev]\nsts =\n  endpoint_url = http://127.0.0.1:1\n',
    { profiles: {}, sso: { s: { sso_region: 'us-east-1' } }, services: { dev: { sts: { endpoint_url: 'http://127.0.0.1:1' } } } },
  ],
  [
    '[DEFAULT] keys are inherited, section keys win',
    '[DEFAULT]\nregion = x\nout = y\n[profile a]\nregion = z\n[default]\n',
    { profiles: { a: { region: 'z', out: 'y' }, default: { region: 'x', out: 'y' } } },
  ],
  ['two [DEFAULT] sections merge', '[DEFAULT]\na = 1\n[default]\n[DEFAULT]\nb = 2\n', { profiles: { default: { a: '1', b: '2' } } }],
  [
    'CRLF and lone CR are line breaks',
    '[default]\r\na = 1\r[profile b]\r\nc = 2\r\n',
    { profiles: { default: { a: '1' }, b: { c: '2' } } },
  ],
  ['full-line # and ; comments, indented too', '# c\n[default]\n  ; c\n\t# c\na = 1\n', { profiles: { default: { a: '1' } } }],
  ['no inline comments', '[default]\na = abc # x\nb = d;e\n', { profiles: { default: { a: 'abc # x', b: 'd;e' } } }],
  [
    'first = or : separates',
    '[default]\nregion: us-west-2\na=b=c\nd:e=f\n',
    { profiles: { default: { region: 'us-west-2', a: 'b=c', d: 'e=f' } } },
  ],
  [
    'keys lower-cased, key and value trimmed',
    '[default]\n  AWS_Access_Key_ID   =   AKIA  \n',
    { profiles: { default: { aws_access_key_id: 'AKIA' } } },
  ],
  ['quotes are kept literally', '[default]\na = "abc"\n', { profiles: { default: { a: '"abc"' } } }],
  ['empty value is ""', '[default]\na =\nb = 1\n', { profiles: { default: { a: '', b: '1' } } }],
  [
    'empty value + indented lines = sub-section, inner keys keep case',
    '[default]\ns3 =\n  Addressing_Style = path\n  # skipped\n  sig = v4\n',
    { profiles: { default: { s3: { Addressing_Style: 'path', sig: 'v4' } } } },
  ],
  [
    'continuation after a value joins with \\n, blank lines inside kept',
    '[default]\na = l1\n  l2\n\n  l3\n\n',
    { profiles: { default: { a: 'l1\nl2\n\nl3' } } },
  ],
  [
    'continuation is relative to the key indent',
    '[default]\n  a = 1\n    b = 2\n  c = 3\n',
    { profiles: { default: { a: '1\nb = 2', c: '3' } } },
  ],
  [
    'an indented header after a key is a continuation',
    '[default]\na = 1\n  [profile x]\n',
    { profiles: { default: { a: '1\n[profile x]' } } },
  ],
  ['header text after ] is ignored', '[default] # note\na = 1\n', { profiles: { default: { a: '1' } } }],
  [
    '__proto__ is an ordinary name',
    '[profile __proto__]\n__proto__ = 1\n',
    { profiles: JSON.parse('{"__proto__":{"__proto__":"1"}}') as Record<string, Values> },
  ],
  ['error: duplicate section', '[default]\na = 1\n[default]\nb = 2\n', { error: 3 }],
  ['error: duplicate key (case-insensitive)', '[default]\na = 1\nA = 2\n', { error: 3 }],
  ['error: duplicate key across [DEFAULT] sections', '[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n[default]\n', { error: 4 }],
  ['error: line without separator', '[default]\na = 1\nnonsense\n', { error: 3 }],
  ['error: empty key', '[default]\n= 1\n', { error: 2 }],
  ['error: key before any header', 'a = 1\n[default]\n', { error: 1 }],
  ['error: comment then key before any header', '# c\n\na = 1\n', { error: 3 }],
  ['error: BOM at start', '\ufeff[default]\na = 1\n', { error: 1 }],
  ['error: sub-section line without =', '[default]\ns3 =\n  nonsense\n', { error: 3 }],
  ['error: a duplicate section is raised before an earlier bad line', '[default]\nbad\n[default]\n', { error: 3 }],
];
