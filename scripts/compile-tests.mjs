// `npm test` runs the suite as plain JavaScript: every TypeScript file of src/, emulator/, demo/, bench/ and test/
// is transpiled once per run (esbuild, about a second) into node_modules/.cache/swrole-tests/, the same tree with
// .js files, and node's runner loads those without a loader. Under tsx each test process paid about 0.3 s of CPU
// for the loader thread and its per-module hooks: with 128 files, a sixth of the suite's CPU on a 2-core machine.
// What stays true to the sources:
//   - import.meta.dirname, .filename and .url are the source file's own (fixtures, dist/, docs, the .ts files a
//     test reads, bundles or starts are found where they are);
//   - each file carries an inline source map and the runner has --enable-source-maps: stacks name the .ts lines;
//   - the transform is tsx's (esbuild, per file, with tsconfig.json's compiler options), so the same imports are
//     dropped as type-only.
// Child scripts a test starts with `node --import tsx file.ts` still run from the sources.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const COMPILED_DIR = 'node_modules/.cache/swrole-tests';
const ROOTS = ['src', 'emulator', 'demo', 'bench', 'test'];

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The compiled path of a source file (`test/unit/x.test.ts` → `<COMPILED_DIR>/test/unit/x.test.js`). */
export const compiledPath = (source) => join(COMPILED_DIR, source.replace(/\.ts$/, '.js'));

/** The source of a compiled file, relative to the checkout (the inverse of compiledPath); other paths unchanged. */
export function sourcePath(path) {
  const rel = relative(resolve(COMPILED_DIR), resolve(path));
  return rel.startsWith('..') ? path : rel.replace(/\.js$/, '.ts');
}

/** Transpiles every source; returns the number of files. Throws esbuild's error (file:line) on a syntax error. */
export async function compileTests() {
  const { transform } = await import('esbuild');
  const out = resolve(COMPILED_DIR);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // The tree's .js files are ES modules, as package.json says for the sources.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  const sources = ROOTS.flatMap((root) => tsFiles(root));
  const tsconfigRaw = readFileSync('tsconfig.json', 'utf8');
  await Promise.all(
    sources.map(async (source) => {
      const file = resolve(source);
      const { code } = await transform(readFileSync(file, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcemap: 'inline',
        sourcefile: file,
        tsconfigRaw,
        define: {
          'import.meta.dirname': JSON.stringify(dirname(file)),
          'import.meta.filename': JSON.stringify(file),
          'import.meta.url': JSON.stringify(pathToFileURL(file).href),
        },
        logLevel: 'silent',
      });
      const target = resolve(compiledPath(source));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  return sources.length;
}
