// Bundles the CLI into dist/: one ESM entry (dist/swrole.js) plus lazily loaded chunks, so the
// AWS SDK lives in a chunk that cache hits never import.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { swrole: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (the AWS SDK, proper-lockfile) call require() for node built-ins: give every
  // output file a real require so esbuild's ESM shim can hand it over.
  banner: { js: "import { createRequire as __swroleCreateRequire } from 'node:module'; const require = __swroleCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
// The shebang must be the first line of the entry only.
const entry = readFileSync('dist/swrole.js', 'utf8');
writeFileSync('dist/swrole.js', `#!/usr/bin/env node\n${entry}`);
chmodSync('dist/swrole.js', 0o755);
