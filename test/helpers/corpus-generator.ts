// Seeded random config/credentials pairs for the botocore differential test: random profile names
// (spaces, dots, quotes), random chains, cycles, missing sources, duplicate keys, comments, CRLF,
// credential_source, credential_process, static keys in either file. Deterministic for a seed.

export interface GeneratedPair {
  id: string;
  config: string;
  credentials: string;
  /** Extra names to query (e.g. referenced but missing). */
  extra: string[];
}

/** mulberry32: tiny, fast, good enough for test data; the seed makes every failure reproducible. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_PARTS = ['dev', 'prod', 'Access CustomerA', 'a.b', 'ops-admin', 'x_y', 'base', "o'q", 'team.1', 'Z', 'default'];
const SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer', 'environment', 'Env'];
const DURATIONS = ['3600', '900', '1.5', 'abc', '+1200', '1_000', ' 43200'];

export function generatePair(seed: number): GeneratedPair {
  const rnd = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number) => rnd() < p;
  const count = 1 + Math.floor(rnd() * 6);
  const names = [...new Set(Array.from({ length: count }, (_, i) => (chance(0.6) ? `${pick(NAME_PARTS)}${i}` : pick(NAME_PARTS))))];
  const eol = chance(0.2) ? '\r\n' : '\n';
  const config: string[] = [];
  const credentials: string[] = [];
  const extra: string[] = [];
  if (chance(0.3)) config.push(pick(['# generated', '; comment', '']));

  for (const name of names) {
    const lines: string[] = [];
    const credLines: string[] = [];
    const role = chance(0.6);
    if (role) {
      lines.push(`role_arn = arn:aws:iam::${String(100000000000 + Math.floor(rnd() * 1e9))}:role/${pick(['r', 'admin', 'read only'])}`);
      const roll = rnd();
      if (roll < 0.65) {
        const source = chance(0.15) ? `missing-${Math.floor(rnd() * 9)}` : pick(names);
        if (source.startsWith('missing')) extra.push(source);
        (chance(0.2) ? credLines : lines).push(`source_profile = ${source}`);
      } else if (roll < 0.85) lines.push(`credential_source = ${pick(SOURCES)}`);
      else if (roll < 0.92) lines.push(`source_profile = ${pick(names)}`, `credential_source = ${pick(SOURCES)}`);
      if (chance(0.3)) lines.push(`mfa_serial = arn:aws:iam::123456789012:mfa/${pick(['me', 'you'])}`);
      if (chance(0.2)) lines.push(`external_id = ${pick(['ext', 'a=b', ''])}`);
      if (chance(0.2)) lines.push(`duration_seconds = ${pick(DURATIONS)}`);
      if (chance(0.15)) lines.push(`role_session_name = ${pick(['me', 'agent.session'])}`);
    }
    if (chance(0.15)) lines.push('credential_process = /bin/fetch --profile x');
    if (chance(0.08)) lines.push(`web_identity_token_file = /tmp/token${chance(0.5) ? '' : '-2'}`);
    if (chance(0.3)) lines.push(`region = ${pick(['eu-west-1', 'us-east-1', 'ap-northeast-1'])}`);
    if (chance(0.1)) lines.push(`region = ${pick(['us-west-2', 'sa-east-1'])}`); // duplicate key when both fire
    const keysTo = chance(0.5) ? credLines : chance(0.5) ? lines : null;
    if (keysTo && chance(0.8)) {
      keysTo.push('aws_access_key_id = AKIDEXAMPLE');
      if (chance(0.9)) keysTo.push('aws_secret_access_key = secret');
    }
    if (chance(0.1)) lines.push('# a comment line');
    if (lines.length > 0 || chance(0.5)) {
      const quoted = name.includes(' ') || (name.includes("'") === false && chance(0.1));
      const header =
        name === 'default' && chance(0.5) ? '[default]' : quoted && !name.includes('"') ? `[profile "${name}"]` : `[profile ${name}]`;
      config.push(header, ...lines);
    }
    if (credLines.length > 0) credentials.push(`[${name}]`, ...credLines);
  }
  if (chance(0.05)) config.push(pick(['[profile dup]', 'orphan line without separator']), 'region = x');
  return { id: `gen-${seed}`, config: config.join(eol) + eol, credentials: credentials.length ? credentials.join(eol) + eol : '', extra };
}
