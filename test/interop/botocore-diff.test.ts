// THE differential test (issue 2): for every profile of every config/credentials pair, swrole's plan
// must equal what botocore itself does (test/interop/botocore-oracle.py drives a real botocore Session
// with STS/process/SSO stubbed). Hand-written pairs (test/fixtures/botocore-corpus) go through the
// built binary; 500 seeded generated pairs go through resolvePlan in-process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';
import { parseIniDocument, serializeIniDocument } from '../../src/config/ini-document.js';
import { resolvePlan } from '../../src/plan/resolve-plan.js';
import { toExplainJson, type ExplainJson } from '../../src/plan/render-explain.js';
import { isSwroleError } from '../../src/errors.js';
import { generatePair } from '../helpers/corpus-generator.js';
import { ensureBuilt } from '../helpers/swrole-run.js';
import { spawnDetached } from '../helpers/run-detached.js';
import { mapLimit } from '../helpers/map-limit.js';

const run = promisify(execFile);
const CORPUS = join(import.meta.dirname, '../fixtures/botocore-corpus');
const ORACLE = join(import.meta.dirname, 'botocore-oracle.py');
const BIN = join(import.meta.dirname, '../../dist/swrole.js');
const GENERATED = 500;

interface Pair {
  id: string;
  config: string;
  credentials: string;
  extra: string[];
}
type Outcome = { ok: ExplainJson } | { error: string };
interface BotoError {
  class: string;
  message: string;
  provider?: string;
  cred_var?: string;
}
interface BotoCall {
  op: string;
  kwargs: Record<string, unknown>;
  signedWith: string;
  returned: string;
}
interface BotoResult {
  error?: BotoError;
  none?: boolean;
  region?: string | null;
  method?: string;
  accessKey?: string;
  hops?: string[];
  source?: { profile: string; method: string } | null;
  fetchers?: { roleArn: string; extraArgs: Record<string, unknown> }[];
  calls?: BotoCall[];
  /** What botocore's SSOCredentialFetcher was given (an SSO source). */
  sso?: { ssoSession: string | null; startUrl: string; ssoRegion: string; accountId: string; roleName: string } | null;
}
interface BotoPair {
  id: string;
  parseError?: BotoError;
  profiles?: string[];
  results?: Record<string, BotoResult>;
}

const KIND_OF_METHOD: Record<string, ExplainJson['steps'][0]['kind']> = {
  'shared-credentials-file': 'static',
  'config-file': 'static',
  'custom-process': 'process',
  sso: 'sso',
  'assume-role-with-web-identity': 'webIdentity',
  env: 'environment',
  'container-role': 'ecsContainer',
  'iam-role': 'ec2InstanceMetadata',
};

/**
 * IAM Identity Center errors are compared by their text too: swrole says them in botocore's words (issue 11), so
 * each SSO row must agree on the code and on the message, verbatim.
 */
const SSO_MESSAGES = [
  /is configured to use SSO but is missing required configuration/,
  /^The specified sso-session does not exist/,
  /is inconsistent between profile/,
  /is configured to use the SSO token provider/,
];

/** THE one place where botocore's errors meet swrole's codes. */
function mapBotocoreError(e: BotoError): string {
  const m = e.message;
  if (e.class === 'InvalidConfigError' && SSO_MESSAGES.some((re) => re.test(m))) {
    const code = m.includes('does not exist')
      ? 'E_SSO_SESSION_NOT_FOUND'
      : m.includes('inconsistent')
        ? 'E_SSO_SESSION_MISMATCH'
        : 'E_SSO_CONFIG';
    return `${code}: ${m}`;
  }
  switch (e.class) {
    case 'ProfileNotFound':
      return 'E_PROFILE_NOT_FOUND';
    case 'ConfigParseError':
      return 'E_CONFIG_PARSE';
    case 'InfiniteLoopConfigError':
      return 'E_PROFILE_LOOP';
    case 'PartialCredentialsError':
      return e.provider === 'assume-role' && e.cred_var === 'source_profile or credential_source' ? 'E_NO_SOURCE' : 'E_PARTIAL_CREDENTIALS';
    case 'InvalidConfigError':
      if (m.includes('contains both source_profile and credential_source')) return 'E_BOTH_SOURCE_AND_CREDENTIAL_SOURCE';
      if (/^The source_profile ".*" referenced in the profile ".*" does not exist\.$/s.test(m)) return 'E_SOURCE_PROFILE_NOT_FOUND';
      if (/^The credential source ".*" referenced in profile ".*" is not valid\.$/s.test(m)) return 'E_INVALID_CREDENTIAL_SOURCE';
      if (/^The source profile ".*" must have credentials\.$/s.test(m)) return 'E_SOURCE_HAS_NO_CREDENTIALS';
      if (m.includes('assume role with web identity but has no role ARN')) return 'E_WEB_IDENTITY_NO_ROLE';
  }
  return `botocore:${e.class}: ${m}`;
}

/** THE one place where botocore's recorded behaviour becomes explain-JSON. */
function mapBotocore(name: string, r: BotoResult): Outcome {
  // `region =` (empty) is botocore's region "", which no client can use; swrole's resolveRegion treats an
  // empty value as unset (null). The one deliberate difference, normalised here and nowhere else.
  r = { ...r, region: r.region === '' ? null : r.region };
  if (r.error) return { error: mapBotocoreError(r.error) };
  if (r.none) return { error: 'E_NO_CREDENTIALS' };
  const calls = r.calls ?? [];
  const sourceKind = (method: string) => KIND_OF_METHOD[method] ?? (`unknown:${method}` as 'static');
  const withSso = (first: ExplainJson['steps'][0]) => (first.kind === 'sso' && r.sso ? Object.assign(first, r.sso) : first);
  const webRoleArn = () => String(calls.find((c) => c.op === 'AssumeRoleWithWebIdentity')?.kwargs.RoleArn);
  if (r.method !== 'assume-role') {
    const first: ExplainJson['steps'][0] = { profile: name, kind: sourceKind(r.method ?? '') };
    if (first.kind === 'webIdentity') first.roleArn = webRoleArn();
    return { ok: { profile: name, region: r.region ?? null, steps: [withSso(first)] } };
  }
  const hops = [...(r.hops ?? [])].reverse();
  const fetchers = r.fetchers ?? [];
  const roleCalls = calls.filter((c) => c.op === 'AssumeRole');
  // The oracle must have seen a real, linked chain: one AssumeRole per hop, each signed by the previous one.
  assert.equal(fetchers.length, hops.length, `${name}: fetchers vs hops`);
  assert.equal(roleCalls.length, hops.length, `${name}: AssumeRole calls vs hops`);
  roleCalls.forEach((c, i) => i > 0 && assert.equal(c.signedWith, roleCalls[i - 1]!.returned, `${name}: chain link ${i}`));
  assert.equal(r.accessKey, roleCalls.at(-1)?.returned);
  const source = r.source!;
  const first: ExplainJson['steps'][0] = { profile: source.profile, kind: sourceKind(source.method) };
  if (first.kind === 'webIdentity') first.roleArn = webRoleArn();
  withSso(first);
  const nullable = <T>(v: unknown) => (v === undefined ? null : (v as T));
  const steps = hops.map((profile, i) => {
    const f = fetchers[i]!;
    return {
      profile,
      kind: 'assumeRole' as const,
      roleArn: f.roleArn,
      mfaSerial: nullable<string>(f.extraArgs.SerialNumber),
      externalId: nullable<string>(f.extraArgs.ExternalId),
      durationSeconds: nullable<number>(f.extraArgs.DurationSeconds),
      roleSessionName: nullable<string>(f.extraArgs.RoleSessionName),
    };
  });
  return { ok: { profile: name, region: r.region ?? null, steps: [first, ...steps] } };
}

/** An SSO error carries its message (compared verbatim with botocore's), any other just its code. */
function errorOutcome(code: string, message: string): Outcome {
  return { error: code.startsWith('E_SSO_') ? `${code}: ${message}` : code };
}

function swroleOutcome(fn: () => ExplainJson): Outcome {
  try {
    return { ok: JSON.parse(JSON.stringify(fn())) as ExplainJson };
  } catch (error) {
    if (isSwroleError(error)) return errorOutcome(error.code, error.message);
    throw error;
  }
}

let home: string;
let handWritten: Pair[];
let generated: Pair[];
/** botocore's answers for each set of pairs: both oracle runs start in before(), beside the tests that need them. */
let handWrittenOracle: Promise<Map<string, BotoPair>>;
let generatedOracle: Promise<Map<string, BotoPair>>;

/** One python process for a whole set of pairs. */
async function runOracle(pairs: Pair[]): Promise<Map<string, BotoPair>> {
  const out = await spawnDetached('python3', [ORACLE], { ...process.env } as Record<string, string>, {
    input: JSON.stringify({ home, pairs }),
    timeoutMs: 170_000,
  });
  assert.equal(out.code, 0, out.stderr);
  const parsed = JSON.parse(out.stdout) as { pairs: BotoPair[] };
  return new Map(parsed.pairs.map((p) => [p.id, p]));
}

/** Starts an oracle run now; a failure surfaces where the test awaits it (not as an unhandled rejection before). */
function startOracle(pairs: Pair[]): Promise<Map<string, BotoPair>> {
  const running = runOracle(pairs);
  running.catch(() => undefined);
  return running;
}

before(() => {
  home = mkdtempSync(join(tmpdir(), 'swrole-botodiff-'));
  handWritten = readdirSync(CORPUS)
    .sort()
    .map((dir) => {
      const profiles = join(CORPUS, dir, 'profiles');
      return {
        id: dir,
        config: join(CORPUS, dir, 'config'),
        credentials: join(CORPUS, dir, 'credentials'),
        extra: existsSync(profiles) ? readFileSync(profiles, 'utf8').split('\n').filter(Boolean) : [],
      };
    });
  generated = Array.from({ length: GENERATED }, (_, i) => {
    const pair = generatePair(i + 1);
    const config = join(home, `${pair.id}.config`);
    const credentials = join(home, `${pair.id}.credentials`);
    writeFileSync(config, pair.config);
    writeFileSync(credentials, pair.credentials);
    return { id: pair.id, config, credentials, extra: [...pair.extra, 'no-such-profile'] };
  });
  handWrittenOracle = startOracle(handWritten);
  generatedOracle = startOracle(generated);
});

after(() => rmSync(home, { recursive: true, force: true }));

interface Tally {
  pairs: number;
  profiles: number;
  agreements: number;
  mismatches: string[];
}

/** Binary runs at once: spawning `swrole explain` is most of the hand-written comparison's time. */
const BINARY_CONCURRENCY = 4;

async function compare(pairs: Pair[], oracleRun: Promise<Map<string, BotoPair>>, viaBinary: boolean): Promise<Tally> {
  const oracle = await oracleRun;
  const tally: Tally = { pairs: 0, profiles: 0, agreements: 0, mismatches: [] };
  // Each profile botocore resolved, with what swrole must agree with; swrole's outcomes are gathered after the loop
  // (the built binary's concurrently), then tallied in this order.
  const rows: Array<{ pair: Pair; name: string; expected: Outcome; actual: () => Promise<Outcome> }> = [];
  for (const pair of pairs) {
    tally.pairs += 1;
    const boto = oracle.get(pair.id)!;
    const env = { AWS_CONFIG_FILE: pair.config, AWS_SHARED_CREDENTIALS_FILE: pair.credentials };
    let config;
    try {
      config = loadAwsConfig({ env, homedir: home });
    } catch (error) {
      const code = isSwroleError(error) ? error.code : String(error);
      const expected = boto.parseError ? mapBotocoreError(boto.parseError) : 'no parse error';
      tally.profiles += 1;
      if (code === expected) tally.agreements += 1;
      else tally.mismatches.push(`${pair.id}: swrole ${code}, botocore ${expected}`);
      continue;
    }
    if (boto.parseError) {
      tally.profiles += 1;
      tally.mismatches.push(`${pair.id}: swrole parsed, botocore ${mapBotocoreError(boto.parseError)}`);
      continue;
    }
    const names = [...config.profiles.keys()];
    if (JSON.stringify([...names].sort()) !== JSON.stringify([...boto.profiles!].sort())) {
      tally.mismatches.push(`${pair.id}: profile names swrole ${JSON.stringify(names)} botocore ${JSON.stringify(boto.profiles)}`);
    }
    for (const [name, result] of Object.entries(boto.results!)) {
      const loaded = config;
      rows.push({
        pair,
        name,
        expected: mapBotocore(name, result),
        actual: viaBinary
          ? () => binaryOutcome(name, env)
          : async () => swroleOutcome(() => toExplainJson(resolvePlan(loaded, name, { env: {} }))),
      });
    }
  }
  const actuals = await mapLimit(rows, viaBinary ? BINARY_CONCURRENCY : 1, (row) => row.actual());
  rows.forEach(({ pair, name, expected }, i) => {
    const actual = actuals[i];
    tally.profiles += 1;
    if (JSON.stringify(actual) === JSON.stringify(expected)) tally.agreements += 1;
    else tally.mismatches.push(`${pair.id} [${name}]:\n    swrole   ${JSON.stringify(actual)}\n    botocore ${JSON.stringify(expected)}`);
  });
  return tally;
}

/** `swrole explain --json` as a user runs it; the error code comes from `--debug`. */
async function binaryOutcome(name: string, env: Record<string, string>): Promise<Outcome> {
  const childEnv = { PATH: process.env.PATH ?? '', HOME: home, SWROLE_NO_PROMPT: '1', ...env };
  try {
    const { stdout } = await run(process.execPath, [BIN, 'explain', '--json', '--profile', name], { env: childEnv, timeout: 20_000 });
    return { ok: JSON.parse(stdout) as ExplainJson };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    const debug = await run(process.execPath, [BIN, 'explain', '--json', '--debug', '--profile', name], {
      env: childEnv,
      timeout: 20_000,
    }).catch((d: { stderr?: string }) => d);
    assert.equal(e.stdout, '', `${name}: stdout must be empty on error`);
    assert.doesNotMatch(e.stderr ?? '', /\n\s+at /, 'no stack trace');
    const code = /code: (E_[A-Z_]+)/.exec(debug.stderr ?? '')?.[1];
    // The error is the last `swrole:` line (config warnings may come before it).
    const message = [...(e.stderr ?? '').matchAll(/^swrole: (.*)$/gm)].at(-1)?.[1] ?? '';
    return code === undefined ? { error: `exit ${e.code}: ${e.stderr}` } : errorOutcome(code, message);
  }
}

function report(t: { diagnostic(message: string): void }, label: string, tally: Tally) {
  t.diagnostic(
    `${label}: ${tally.pairs} pairs, ${tally.profiles} profiles, ${tally.agreements} agreements, ${tally.mismatches.length} mismatches`,
  );
  console.log(`botocore-diff ${label}: pairs=${tally.pairs} profiles=${tally.profiles} agreements=${tally.agreements}`);
}

test('botocore diff: hand-written corpus through the built binary', { timeout: 180_000 }, async (t) => {
  ensureBuilt();
  assert.ok(handWritten.length >= 40, `${handWritten.length} hand-written pairs`);
  const tally = await compare(handWritten, handWrittenOracle, true);
  report(t, 'hand-written', tally);
  assert.deepEqual(tally.mismatches, []);
  assert.equal(tally.agreements, tally.profiles);
});

test('botocore diff: 500 seeded generated pairs in-process', { timeout: 180_000 }, async (t) => {
  const tally = await compare(generated, generatedOracle, false);
  report(t, 'generated', tally);
  assert.deepEqual(tally.mismatches.slice(0, 20), []);
  assert.ok(tally.profiles > 1500, `${tally.profiles} profiles compared`);
});

test('every corpus file round-trips byte for byte through the lossless INI document', () => {
  let files = 0;
  for (const pair of [...handWritten, ...generated]) {
    for (const file of [pair.config, pair.credentials]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      const encoding = Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) ? 'utf8' : 'latin1';
      const text = bytes.toString(encoding);
      assert.ok(Buffer.from(serializeIniDocument(parseIniDocument(text, file)), encoding).equals(bytes), file);
      files += 1;
    }
  }
  assert.ok(files > 1000, `${files} files`);
});
