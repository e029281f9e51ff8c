// Builds dist/: CommonJS bundles, one per lazy boundary. Every dynamic import() in src/ (each command, the
// credential engine's miss path, the STS gateway with the AWS SDK, the cache lock) becomes its own file
// loaded with require() only when reached, so a cache hit compiles a few small files and never the SDK.
// CommonJS, not ESM: Node 20's ESM loader alone costs more than the whole hot path (measured in bench/).
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const out = resolve(root, 'dist');

/** dist file name of a lazily loaded module: src/commands/process.ts → commands-process.js */
function bundleName(path) {
  const rel = relative(root, path).replace(/\\/g, '/');
  const name = rel.startsWith('node_modules/')
    ? rel
        .slice('node_modules/'.length)
        .replace(/\/(index|lib\/index)\.js$/, '')
        .replace(/\.js$/, '')
    : rel.replace(/^src\//, '').replace(/\.ts$/, '');
  return `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.js`;
}

const pending = new Map([[resolve(root, 'src/cli/main.ts'), 'swrole.js']]);
const built = new Set();

const lazyBoundaries = {
  name: 'lazy-boundaries',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'inner') return undefined;
      const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
      if (resolved.errors.length > 0 || resolved.external) return resolved;
      const name = bundleName(resolved.path);
      if (!built.has(resolved.path)) pending.set(resolved.path, name);
      return { path: `./${name}`, external: true };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// dist/*.js are CommonJS even though the package itself is ESM ("type": "module").
writeFileSync(resolve(out, 'package.json'), '{ "type": "commonjs" }\n');
while (pending.size > 0) {
  const [entry, name] = pending.entries().next().value;
  pending.delete(entry);
  built.add(entry);
  await build({
    entryPoints: [entry],
    outfile: resolve(out, name),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() of a boundary becomes require(): loading it through the ESM loader would undo the point.
    supported: { 'dynamic-import': false },
    plugins: [lazyBoundaries],
    legalComments: 'none',
    logLevel: 'warning',
  });
}
const entry = readFileSync(resolve(out, 'swrole.js'), 'utf8');
writeFileSync(resolve(out, 'swrole.js'), `#!/usr/bin/env node\n${entry}`);
chmodSync(resolve(out, 'swrole.js'), 0o755);
