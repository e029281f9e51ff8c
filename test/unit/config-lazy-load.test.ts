/**
 * The loader reads sections on demand (issue 16: a 50,000-profile config); it must give exactly what reading both
 * files whole gave (test/helpers/eager-aws-config.ts, the loader botocore-diff validated before): the same error
 * (code and message) or the same profiles, sso-sessions, services, order, warnings and ignored headers, whether a
 * name is looked up first (the hashed index) or everything is iterated (the ordered index). Run over the
 * botocore corpus, the 500 generated pairs of the differential test, and seeded INI fuzz aimed at the index:
 * indentation and continuation lines, headers inside values, [DEFAULT] anywhere, names written several ways,
 * duplicates, line endings, separators, case, comments, empty and nested values.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';
import type { AwsConfig } from '../../src/config/types.js';
import { isSwroleError } from '../../src/errors.js';
import { loadAwsConfigEager } from '../helpers/eager-aws-config.js';
import { createRandom, generatePair } from '../helpers/corpus-generator.js';

const root = mkdtempSync(join(tmpdir(), 'swrole-lazy-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CORPUS = join(import.meta.dirname, '../fixtures/botocore-corpus');

type Outcome = { error: string } | { config: AwsConfig };
function attempt(load: () => AwsConfig): Outcome {
  try {
    return { config: load() };
  } catch (error) {
    if (!isSwroleError(error)) throw error;
    return { error: `${error.code}: ${error.message}` };
  }
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/**
 * Compares the lazy loader with the eager one on a pair of files; `names` are looked up besides the real ones.
 * `label` names the pair in a failure (generated pairs reuse two files: creating and deleting 7,000 files cost
 * this test seconds of system time on an ext4 disk).
 */
function compare(configFile: string, credentialsFile: string, names: readonly string[], label = configFile): void {
  const files = { configFile, credentialsFile };
  const deps = { env: {}, homedir: root };
  const eager = attempt(() => loadAwsConfigEager(deps, files));
  const lookedUp = attempt(() => loadAwsConfig(deps, files));
  const iterated = attempt(() => loadAwsConfig(deps, files));
  if ('error' in eager) {
    assert.deepEqual(lookedUp, eager, label);
    return;
  }
  assert.ok('config' in lookedUp && 'config' in iterated, `${label}: ${JSON.stringify(lookedUp)}`);
  const want = eager.config;
  const all = [...new Set([...want.profiles.keys(), ...want.ssoSessions.keys(), ...want.services.keys(), ...names])];
  // Looked up first: the hashed index.
  for (const name of all) {
    for (const kind of ['profiles', 'ssoSessions', 'services'] as const) {
      const got: ReadonlyMap<string, unknown> = lookedUp.config[kind];
      assert.equal(got.has(name), want[kind].has(name), `${label}: ${kind}.has(${JSON.stringify(name)})`);
      assert.deepEqual(plain(got.get(name)), plain(want[kind].get(name)), `${label}: ${kind}.get(${JSON.stringify(name)})`);
    }
  }
  // Everything iterated: the ordered index.
  for (const kind of ['profiles', 'ssoSessions', 'services'] as const) {
    assert.deepEqual(plain([...iterated.config[kind]]), plain([...want[kind]]), `${label}: ${kind} in order`);
    assert.equal(iterated.config[kind].size, want[kind].size);
  }
  for (const got of [lookedUp.config, iterated.config]) {
    assert.deepEqual(got.warnings, want.warnings, `${label}: warnings`);
    assert.deepEqual(got.ignoredSections, want.ignoredSections, `${label}: ignored sections`);
  }
}

describe('the lazy loader equals the whole-file loader', () => {
  it('on the botocore corpus', () => {
    for (const dir of readdirSync(CORPUS).sort()) {
      const extra = join(CORPUS, dir, 'profiles');
      compare(
        join(CORPUS, dir, 'config'),
        join(CORPUS, dir, 'credentials'),
        existsSync(extra) ? readFileSync(extra, 'utf8').split('\n').filter(Boolean) : [],
      );
    }
  });

  it('on the 500 generated pairs of the differential test', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const pair = generatePair(seed);
      const config = join(root, 'generated.config');
      const credentials = join(root, 'generated.credentials');
      writeFileSync(config, pair.config);
      writeFileSync(credentials, pair.credentials);
      compare(config, credentials, [...pair.extra, 'no-such-profile'], `generated pair ${seed} (${pair.id})`);
    }
  });

  it('on 3,000 seeded INI fuzz pairs', () => {
    let errors = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const { config, credentials, names } = fuzzPair(seed);
      const configFile = join(root, 'fuzz.config');
      const credentialsFile = join(root, 'fuzz.credentials');
      writeFileSync(configFile, config);
      writeFileSync(credentialsFile, credentials);
      compare(configFile, credentialsFile, names, `fuzz pair ${seed}`);
      if ('error' in attempt(() => loadAwsConfigEager({ env: {}, homedir: root }, { configFile, credentialsFile }))) errors++;
    }
    // Both kinds must be well represented for the comparison to mean something.
    assert.ok(errors > 300 && errors < 2700, `${errors} of 3000 fuzz pairs are refused`);
  });
});

const NAMES = ['a', 'b', 'default', 'Access CustomerA', 'x.y', "o'q", 'DEFAULT', '__proto__', 'émoji-ü'];

/** An INI pair built from the constructs the index must classify exactly as the whole-file reader does. */
function fuzzPair(seed: number): { config: string; credentials: string; names: string[] } {
  const rnd = createRandom(seed * 7919);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number) => rnd() < p;
  const eol = () => (chance(0.9) ? '\n' : pick(['\r\n', '\r']));
  const header = (name: string) =>
    pick([
      `[profile ${name}]`,
      `[profile "${name}"]`,
      `[profile  ${name}]`,
      `[profile ${name} ]`,
      `  [profile ${name}]`,
      `[${name}]`,
      `[sso-session ${name}]`,
      `[services ${name}]`,
      '[default]',
      '[DEFAULT]',
      `[profile ${name}] trailing`,
      `[profile ${name}]]`,
      '[]',
    ]);
  const line = () =>
    pick([
      `region = ${pick(['eu-west-1', 'us-east-1', ''])}`,
      `role_arn = arn:aws:iam::123456789012:role/${pick(['r', 'x'])}`,
      `source_profile = ${pick(NAMES)}`,
      `Region = upper`,
      `region: colon`,
      `aws_access_key_id = AKID${Math.floor(rnd() * 3)}`,
      'aws_secret_access_key = s',
      `value = has # hash`,
      `value2 = a;b`,
      `s3 =`,
      `  max_concurrent_requests = 10`,
      `  no-equals-here`,
      `    deeper = x`,
      `  [profile ${pick(NAMES)}]`,
      '# comment',
      '   ; indented comment',
      '',
      '   ',
      'no separator',
      ' = empty key',
      `sso_session = ${pick(NAMES)}`,
      `sso_start_url = https://x`,
      `sts =`,
      `  endpoint_url = http://localhost`,
      `services = ${pick(NAMES)}`,
      `clé = ünïcode`,
      `KEY = v`,
      `key = v`,
      '\u00a0nbsp-indented = x',
      '\tregion = tab-indented',
    ]);
  const build = (sections: number, bare: boolean) => {
    const out: string[] = [];
    if (chance(0.05)) out.push(line());
    if (chance(0.03)) out.push('\ufeff[default]');
    for (let s = 0; s < sections; s++) {
      out.push(bare ? pick([`[${pick(NAMES)}]`, `[profile ${pick(NAMES)}]`, '[DEFAULT]', '  [a]']) : header(pick(NAMES)));
      const lines = Math.floor(rnd() * 5);
      for (let l = 0; l < lines; l++) out.push(line());
    }
    return out.map((l) => l + eol()).join('') + (chance(0.2) ? 'tail = no newline' : '');
  };
  return {
    config: build(1 + Math.floor(rnd() * 6), false),
    credentials: chance(0.7) ? build(Math.floor(rnd() * 3), true) : '',
    names: [...NAMES, 'missing'],
  };
}
