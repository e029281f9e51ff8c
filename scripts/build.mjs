// Builds dist/: CommonJS bundles, one per lazy boundary. Every dynamic import() in src/ (each command, the
// credential engine's miss path, the STS gateway with the AWS SDK, the cache lock) becomes its own file
// loaded with require() only when reached, so a cache hit compiles a few small files and never the SDK.
// CommonJS, not ESM: Node 20's ESM loader alone costs more than the whole hot path (measured in bench/).
// Everything is bundled: the installed package has no runtime dependencies, and the build fails if a chunk
// would still require() anything but a Node builtin or another chunk (checked on esbuild's metafile).
// `npm pack`/`npm publish` run this through the prepack script, so a tarball always carries a fresh dist/.
// The AWS SDK is one chunk (src/aws-sdk/sdk-clients.ts, imported dynamically by both gateways): a chunk holds a copy
// of everything it imports statically, so an SDK import anywhere else would put the SDK's core in the package twice.
// Third-party chunks (that one and a package's own lazy boundaries) are minified: nobody reads them in dist/, and it
// more than halves the SDK (1.08 MB → 0.43 MB). Not keepNames: its __name() calls cost a miss ~7 ms of CPU, and the
// SDK is built to be minified (errors carry their name as a field; its instanceof never trusts short class names).
// swrole's own chunks stay readable.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const out = resolve(root, 'dist');
// `swrole --version`: a constant in the bundle, so the hot path never reads package.json.
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/**
 * dist file name of a lazily loaded module: src/commands/process.ts → commands-process.js,
 * node_modules/@smithy/core/dist-es/submodules/event-streams/index.js → smithy-core-dist-es-submodules-event-streams.js.
 * Never starts with '-' or '.' (a scope's '@' would give '-smithy-…', which tools read as an option).
 */
function bundleName(path) {
  const abs = path.replace(/\\/g, '/');
  const inModules = abs.lastIndexOf('/node_modules/');
  const name =
    inModules >= 0
      ? abs
          .slice(inModules + '/node_modules/'.length)
          .replace(/\/(index|lib\/index)\.[cm]?js$/, '')
          .replace(/\.[cm]?js$/, '')
      : relative(root, path)
          .replace(/\\/g, '/')
          .replace(/^src\//, '')
          .replace(/\.ts$/, '');
  return `${name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+/, '')}.js`;
}

/** chunk file name → the module it holds; two modules must never share a file. */
const owners = new Map([['swrole.js', resolve(root, 'src/cli/main.ts')]]);
function claimName(path) {
  const base = bundleName(path);
  let name = base;
  for (let n = 2; owners.has(name) && owners.get(name) !== path; n++) name = base.replace(/\.js$/, `-${n}.js`);
  owners.set(name, path);
  return name;
}

/** A chunk of third-party code: the AWS SDK's module, or a lazy boundary inside a package. */
function isThirdParty(entry) {
  const path = relative(root, entry).replace(/\\/g, '/');
  return path.startsWith('node_modules/') || path.includes('/node_modules/') || path.startsWith('src/aws-sdk/');
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
      const name = claimName(resolved.path);
      if (!built.has(resolved.path)) pending.set(resolved.path, name);
      return { path: `./${name}`, external: true };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// dist/*.js are CommonJS even though the package itself is ESM ("type": "module").
writeFileSync(resolve(out, 'package.json'), '{ "type": "commonjs" }\n');
const requires = new Map();
while (pending.size > 0) {
  const [entry, name] = pending.entries().next().value;
  pending.delete(entry);
  built.add(entry);
  const result = await build({
    entryPoints: [entry],
    outfile: resolve(out, name),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() of a boundary becomes require(): loading it through the ESM loader would undo the point.
    supported: { 'dynamic-import': false },
    plugins: [lazyBoundaries],
    define: { SWROLE_VERSION: JSON.stringify(version) },
    legalComments: 'none',
    // Third-party chunks (the AWS SDK) are minified whole; swrole's own only of whitespace, so names stay readable
    // in --debug output. Each command's bundle repeats the shared core: this keeps the installed package small and
    // gives the hit path fewer bytes to parse.
    ...(isThirdParty(entry) ? { minify: true } : { minifyWhitespace: true }),
    logLevel: 'warning',
    metafile: true,
  });
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) requires.set(imported.path, name);
  }
}
// No runtime dependencies: a chunk may load only Node builtins and the chunks built here.
const stray = [...requires].filter(([path]) => !isBuiltin(path) && !(path.startsWith('./') && owners.has(path.slice(2))));
if (stray.length > 0) {
  console.error(`build: dist/ would need packages at run time: ${stray.map(([path, by]) => `${path} (from ${by})`).join(', ')}`);
  console.error('  hint: bundle them (an optional require() inside try/catch is left external by esbuild)');
  process.exit(1);
}
const entry = readFileSync(resolve(out, 'swrole.js'), 'utf8');
writeFileSync(resolve(out, 'swrole.js'), `#!/usr/bin/env node\n${entry}`);
chmodSync(resolve(out, 'swrole.js'), 0o755);
