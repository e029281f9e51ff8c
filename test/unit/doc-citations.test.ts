import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.') || name === 'reference') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mjs|md|py)$/.test(name)) out.push(path);
  }
  return out;
}

/** Section numbers of a reference document: `## 6. STS API` → 6, `### 6.5 Errors` → 6.5. */
function sections(file: string): Set<string> {
  const found = new Set<string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/^#{2,4} (\d+(?:\.\d+)*)[.\s]/gm)) found.add(m[1]!);
  return found;
}

test('every docs/reference citation in code, tests and docs names an existing document and section', () => {
  const cited = /docs\/reference\/([a-z-]+\.md)((?:,? ?§\d+(?:\.\d+)*)*)/g;
  let count = 0;
  const broken: string[] = [];
  for (const file of ['src', 'emulator', 'test', 'bench', 'scripts', 'demo', 'docs'].flatMap((d) => walk(join(ROOT, d)))) {
    for (const m of readFileSync(file, 'utf8').matchAll(cited)) {
      count++;
      const doc = join(ROOT, 'docs/reference', m[1]!);
      const where = `${relative(ROOT, file)}: ${m[0]}`;
      let known: Set<string>;
      try {
        known = sections(doc);
      } catch {
        broken.push(`${where} (no such document)`);
        continue;
      }
      for (const s of m[2]!.matchAll(/§(\d+(?:\.\d+)*)/g)) if (!known.has(s[1]!)) broken.push(`${where} (no section ${s[1]})`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(count >= 50, `only ${count} citations found: the pattern no longer matches how code cites`);
});
