// The spec sheet of botocore's reading rules (test/helpers/config-read-rows.ts) checked against botocore itself:
// every row's hand-written expectation equals configloader.load_config on the same bytes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROWS } from '../helpers/config-read-rows.js';

describe('botocore reading rules (config file)', () => {
  it('every row matches botocore (configloader.load_config on the same bytes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swrole-rows-'));
    try {
      const paths = ROWS.map(([, text], i) => {
        const p = join(dir, `row${i}`);
        writeFileSync(p, text);
        return p;
      });
      const script = [
        'import json, sys, botocore.configloader as c, botocore.exceptions as x',
        'out = []',
        'for p in json.loads(sys.argv[1]):',
        '    try:',
        '        m = c.load_config(p)',
        '        r = {"profiles": m["profiles"]}',
        '        if m["sso_sessions"]: r["sso"] = m["sso_sessions"]',
        '        if m["services"]: r["services"] = m["services"]',
        '        out.append(r)',
        '    except x.ConfigParseError:',
        '        out.append("error")',
        'print(json.dumps(out))',
      ].join('\n');
      const botocore = JSON.parse(
        execFileSync('python3', ['-c', script, JSON.stringify(paths)], { encoding: 'utf8', timeout: 30_000 }),
      ) as unknown[];
      ROWS.forEach(([rule, , expected], i) => {
        const oracle = botocore[i];
        if ('error' in expected) assert.equal(oracle, 'error', rule);
        else assert.deepEqual(JSON.parse(JSON.stringify(expected)), oracle, rule);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
