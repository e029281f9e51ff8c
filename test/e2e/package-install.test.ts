// The published artefact, installed as a user installs it: `npm pack` on a clean copy of the checkout (no dist/,
// so prepack must build it), `npm install -g` of the tarball into a temporary prefix with no registry at all
// (--offline, an empty cache: the package has no runtime dependencies), then the installed `swrole` bin run
// with a temp HOME where nothing outside the prefix can lend it a module.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { startEmulator, type EmulatorHandle } from '../../emulator/start-emulator.js';
import { ROLE_NO_MFA_ARN, sampleWorld, USER_ACCESS_KEY_ID, USER_SECRET_ACCESS_KEY } from '../helpers/emulator-world.js';
import { writeUserAwsFiles } from '../helpers/swrole-run.js';

/**
 * Measured: installed 3278 KiB, tarball 951 KiB (with doctor, the profile picker, --contain, the aws-vault file reader
 * and MFA rotation; 2971 and 854 KiB before them). The AWS SDK chunk, minified, is 423 KiB of it (STS, IAM Identity
 * Center and `keys rotate` share it); each command chunk repeats the shared core, whitespace-minified. The bound is
 * room for growth, not the guard against a second SDK: that is the one-chunk check below (a second copy once made
 * the package 4.4 MB).
 */
const MAX_INSTALLED_BYTES = 3.5 * 1024 * 1024;
const MAX_TARBALL_BYTES = 1024 * 1024;
const NPM_TIMEOUT_MS = 90_000;

const root = resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

let dir: string;
let tarball: string;
let pkgDir: string;
let bin: string;
let home: string;
let emu: EmulatorHandle;
const timings: Record<string, number> = {};

function timed<T>(label: string, run: () => T): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

/** npm with its own empty cache and user config, so neither the user's ~/.npm nor ~/.npmrc takes part. */
function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd,
    encoding: 'utf8',
    timeout: NPM_TIMEOUT_MS,
    env: { ...process.env, npm_config_cache: join(dir, 'npm-cache'), npm_config_userconfig: join(dir, 'npmrc') },
  });
  assert.equal(
    result.status,
    0,
    `npm ${args.join(' ')} failed (${result.error?.message ?? result.signal ?? result.status}):\n${result.stderr}`,
  );
  return result.stdout;
}

/** Bytes of every file under a directory. */
function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed bin itself (symlink, shebang, exec bit), in an env built from nothing. */
function swrole(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const env = {
    // the shebang is `#!/usr/bin/env node`: this node first, whatever PATH holds
    PATH: [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
    HOME: home,
    AWS_ENDPOINT_URL_STS: emu.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  return new Promise((done) => {
    execFile(bin, args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** NODE_DEBUG=module lines naming the files a run loaded; the rest of stderr is swrole's own. */
function splitModuleDebug(stderr: string): { loaded: string[]; rest: string } {
  const lines = stderr.split('\n');
  const loaded = lines.flatMap((l) => /^MODULE \d+: load "([^"]+)"/.exec(l)?.[1] ?? []);
  return { loaded, rest: lines.filter((l) => !l.startsWith('MODULE ')).join('\n') };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swrole-package-'));
  // A clean clone of the working tree: every file git would hand over (tracked or new, not ignored), so no
  // dist/. node_modules is linked, as `npm ci` would have put it there.
  const source = join(dir, 'source');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (statSync(join(root, file), { throwIfNoEntry: false })?.isFile()) cpSync(join(root, file), join(source, file));
  }
  assert.equal(statSync(join(source, 'dist'), { throwIfNoEntry: false }), undefined, 'the clean copy has no dist/');
  symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');

  const packs = join(dir, 'packs');
  mkdirSync(packs);
  timed('npm pack', () => npm(['pack', '--pack-destination', packs], source));
  const [name, ...others] = readdirSync(packs);
  assert.equal(others.length, 0);
  assert.equal(name, `swrole-${version}.tgz`);
  tarball = join(packs, name!);

  const prefix = join(dir, 'prefix');
  timed('npm install -g', () => npm(['install', '--global', '--prefix', prefix, '--offline', tarball], dir));
  pkgDir = join(prefix, 'lib', 'node_modules', 'swrole');
  bin = join(prefix, 'bin', 'swrole');

  home = join(dir, 'home');
  writeUserAwsFiles(
    home,
    `[default]\nregion = us-east-1\n\n[profile nomfa]\nrole_arn = ${ROLE_NO_MFA_ARN}\nsource_profile = base\nregion = us-east-1\n`,
    `[base]\naws_access_key_id = ${USER_ACCESS_KEY_ID}\naws_secret_access_key = ${USER_SECRET_ACCESS_KEY}\n`,
  );
  // files edited in the last 2 s are not memoised (they may still be changing): age them as a user's would be
  const past = new Date(Date.now() - 60_000);
  for (const file of ['config', 'credentials']) utimesSync(join(home, '.aws', file), past, past);
  emu = await startEmulator({ world: sampleWorld() });
});

after(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package, installed globally', () => {
  it('ships the built dist/ and nothing it would need from the registry', async (t) => {
    const tarballBytes = statSync(tarball).size;
    const installedBytes = sizeOf(pkgDir);
    t.diagnostic(`tarball ${(tarballBytes / 1024).toFixed(0)} KiB, installed ${(installedBytes / 1024).toFixed(0)} KiB`);
    t.diagnostic(`npm pack ${timings['npm pack']} ms (includes the build), npm install -g ${timings['npm install -g']} ms`);
    assert.ok(installedBytes < MAX_INSTALLED_BYTES, `installed package is ${installedBytes} bytes`);
    assert.ok(tarballBytes < MAX_TARBALL_BYTES, `tarball is ${tarballBytes} bytes`);

    assert.deepEqual(readdirSync(pkgDir).sort(), ['LICENSE', 'README.md', 'dist', 'package.json'], 'no node_modules, no sources');
    const installedPkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(installedPkg.dependencies, undefined, 'no runtime dependencies: the bundle contains them');
    assert.equal(installedPkg.optionalDependencies, undefined);
    assert.equal(installedPkg.peerDependencies, undefined);

    const dist = join(pkgDir, 'dist');
    const chunks = readdirSync(dist).filter((f) => f.endsWith('.js'));
    // The AWS SDK is in the package once: one chunk holds its STS client (STSServiceException is the client's own class).
    const withSdk = chunks.filter((f) => readFileSync(join(dist, f), 'utf8').includes('STSServiceException'));
    assert.deepEqual(withSdk, ['aws-sdk-sdk-clients.js'], 'one copy of the SDK');
    assert.ok(chunks.includes('swrole.js') && chunks.includes('aws-sdk-sdk-clients.js'), chunks.join(', '));
    for (const chunk of chunks) assert.doesNotMatch(chunk, /^[-.]/, `chunk ${chunk}: a name starting with '-' reads as an option`);
    assert.equal(readFileSync(join(dist, 'package.json'), 'utf8').trim(), '{ "type": "commonjs" }');

    // What each chunk can require(), read by a parser (strings and comments that mention packages do not count):
    // only Node builtins and sibling chunks.
    const { metafile } = await build({
      entryPoints: chunks.map((c) => join(dist, c)),
      bundle: true,
      write: false,
      outdir: join(dir, 'scan'),
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      external: ['./*'],
      metafile: true,
      logLevel: 'silent',
    });
    const stray: string[] = [];
    for (const [input, { imports }] of Object.entries(metafile.inputs)) {
      for (const { path } of imports) {
        if (!isBuiltin(path) && !(path.startsWith('./') && chunks.includes(path.slice(2)))) stray.push(`${input} → ${path}`);
      }
    }
    assert.deepEqual(stray, []);
  });

  it('swrole --version prints the package version', async () => {
    const r = await swrole(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
  });

  it('swrole list reads ~/.aws of the (temp) HOME', async () => {
    const r = await swrole(['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^nomfa\b.*\b111111111111\b/m);
    assert.match(r.stdout, /^base\b/m);
    assert.doesNotMatch(r.stdout, new RegExp(USER_SECRET_ACCESS_KEY));
  });

  it('swrole process: a miss calls STS through the bundled SDK chunk, the next call is a hit that never loads it', async (t) => {
    const sdkChunk = join(pkgDir, 'dist', 'aws-sdk-sdk-clients.js');
    const assumeRoles = () => emu.calls().filter((c) => c.action === 'AssumeRole' && c.code === 'OK').length;
    const started = performance.now();

    const miss = await swrole(['process', 'nomfa'], { NODE_DEBUG: 'module' });
    const missDebug = splitModuleDebug(miss.stderr);
    assert.equal(miss.code, 0, missDebug.rest);
    assert.equal(assumeRoles(), 1);
    assert.ok(missDebug.loaded.includes(sdkChunk), `the miss loaded the installed SDK chunk: ${missDebug.loaded.join(', ')}`);
    for (const file of missDebug.loaded) assert.ok(file.startsWith(pkgDir), `${file} loaded from outside the installed package`);
    const creds = JSON.parse(miss.stdout) as Record<string, unknown>;
    assert.equal(creds.Version, 1);
    assert.match(String(creds.AccessKeyId), /^ASIA/);

    const hit = await swrole(['process', 'nomfa'], { NODE_DEBUG: 'module' });
    const hitDebug = splitModuleDebug(hit.stderr);
    assert.equal(hit.code, 0, hitDebug.rest);
    assert.equal(hit.stdout, miss.stdout, 'the same cached credentials');
    assert.equal(assumeRoles(), 1, 'no STS call on the hit');
    assert.ok(!hitDebug.loaded.includes(sdkChunk), 'a cache hit never loads the SDK');
    t.diagnostic(`process miss + hit ${Math.round(performance.now() - started)} ms`);
    assert.ok(statSync(join(home, '.cache', 'swrole', 'sessions')).isDirectory(), 'state under ~/.cache/swrole of the temp HOME');
  });
});
