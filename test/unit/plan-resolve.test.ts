// The plan resolver as a spec sheet: one row per rule of docs/reference/aws-behaviour.md §2.2–2.4 and §9.
// Inputs are AwsConfig objects built directly (the config engine has its own tests); the same rules
// are checked against botocore itself in test/interop/botocore-diff.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsConfig, ConfigSection, Profile } from '../../src/config/types.js';
import { resolvePlan } from '../../src/plan/resolve-plan.js';
import { toExplainJson } from '../../src/plan/render-explain.js';
import { isSwroleError } from '../../src/errors.js';
import type { AssumeRoleStep } from '../../src/plan/types.js';

type Keys = Record<string, string>;
interface Spec {
  config?: Record<string, Keys>;
  credentials?: Record<string, Keys>;
  sso?: Record<string, Keys>;
}

function section(name: string, file: string, line: number, values: Keys): ConfigSection {
  return { name, file, line, values, keyLines: Object.fromEntries(Object.keys(values).map((k, i) => [k, line + i + 1])) };
}

/** botocore's full_config: config profiles, then credentials sections merged per key (§1.4). */
function buildConfig(spec: Spec): AwsConfig {
  const profiles = new Map<string, Profile>();
  let line = 1;
  for (const [name, values] of Object.entries(spec.config ?? {})) {
    profiles.set(name, { name, values, config: section(name, '/h/.aws/config', line, values), credentials: undefined });
    line += 10;
  }
  line = 1;
  for (const [name, values] of Object.entries(spec.credentials ?? {})) {
    const existing = profiles.get(name);
    const credentials = section(name, '/h/.aws/credentials', line, values);
    line += 10;
    profiles.set(name, { name, values: { ...existing?.values, ...values }, config: existing?.config, credentials });
  }
  const ssoSessions = new Map(Object.entries(spec.sso ?? {}).map(([n, v], i) => [n, section(n, '/h/.aws/config', 500 + i * 10, v)]));
  return { configFile: '/h/.aws/config', credentialsFile: '/h/.aws/credentials', profiles, ssoSessions, services: new Map(), warnings: [] };
}

/** A plan as one line: `kind:profile > kind:profile`, or the error code. */
function outcome(spec: Spec, profile: string): string {
  try {
    return resolvePlan(buildConfig(spec), profile)
      .steps.map((s) => `${s.kind}:${s.profile}`)
      .join(' > ');
  } catch (error) {
    if (isSwroleError(error)) return error.code;
    throw error;
  }
}

const KEYS = { aws_access_key_id: 'AKIDBASE', aws_secret_access_key: 'secret' };
const ROLE = 'arn:aws:iam::123456789012:role/r';

const rows: [string, Spec, string, string][] = [
  // §2.2 chain order for the selected profile
  ['static keys in the credentials file', { credentials: { a: KEYS } }, 'a', 'static:a'],
  ['static keys in the config file', { config: { a: KEYS } }, 'a', 'static:a'],
  ['credential_process', { config: { a: { credential_process: 'x' } } }, 'a', 'process:a'],
  ['web identity', { config: { a: { role_arn: ROLE, web_identity_token_file: '/t' } } }, 'a', 'webIdentity:a'],
  ['web identity without role_arn', { config: { a: { web_identity_token_file: '/t' } } }, 'a', 'E_WEB_IDENTITY_NO_ROLE'],
  [
    'empty web_identity_token_file is not configured (and blocks assume-role)',
    { config: { a: { role_arn: ROLE, web_identity_token_file: '', ...KEYS } } },
    'a',
    'static:a',
  ],
  [
    'sso legacy keys',
    { config: { a: { sso_account_id: '1', sso_role_name: 'r', sso_start_url: 'u', sso_region: 'eu-west-1' } } },
    'a',
    'sso:a',
  ],
  [
    'sso with [sso-session]',
    { config: { a: { sso_session: 's', sso_account_id: '1', sso_role_name: 'r' } }, sso: { s: { sso_start_url: 'u', sso_region: 'r' } } },
    'a',
    'sso:a',
  ],
  ['sso missing keys', { config: { a: { sso_account_id: '1' } } }, 'a', 'E_SSO_CONFIG'],
  [
    'sso unknown sso-session',
    { config: { a: { sso_session: 'nope', sso_account_id: '1', sso_role_name: 'r' } } },
    'a',
    'E_SSO_SESSION_NOT_FOUND',
  ],
  [
    'sso profile and session disagree',
    {
      config: { a: { sso_session: 's', sso_start_url: 'x', sso_account_id: '1', sso_role_name: 'r' } },
      sso: { s: { sso_start_url: 'u', sso_region: 'r' } },
    },
    'a',
    'E_SSO_SESSION_MISMATCH',
  ],
  [
    'sso-session without sso_region of its own (the profile has one): the token provider refuses it',
    { config: { a: { sso_session: 's', sso_region: 'r', sso_account_id: '1', sso_role_name: 'r' } }, sso: { s: { sso_start_url: 'u' } } },
    'a',
    'E_SSO_CONFIG',
  ],
  [
    'an empty [sso-session] section: the token provider says it does not exist',
    { config: { a: { sso_session: 's', sso_start_url: 'u', sso_region: 'r', sso_account_id: '1', sso_role_name: 'r' } }, sso: { s: {} } },
    'a',
    'E_SSO_SESSION_NOT_FOUND',
  ],
  ['sso_start_url alone is not an SSO profile', { config: { a: { sso_start_url: 'u', sso_region: 'r' } } }, 'a', 'E_NO_CREDENTIALS'],
  ['nothing at all', { config: { a: { region: 'eu-west-1' } } }, 'a', 'E_NO_CREDENTIALS'],
  ['unknown profile', { config: { a: KEYS } }, 'zz', 'E_PROFILE_NOT_FOUND'],
  [
    'login_session (aws login) is not supported yet',
    { config: { a: { login_session: 'arn:aws:iam::1:user/u' } } },
    'a',
    'E_LOGIN_SESSION_UNSUPPORTED',
  ],
  ['partial keys in the credentials file', { credentials: { a: { aws_access_key_id: 'A' } } }, 'a', 'E_PARTIAL_CREDENTIALS'],
  ['partial keys in the config file', { config: { a: { aws_access_key_id: 'A' } } }, 'a', 'E_PARTIAL_CREDENTIALS'],
  ['secret alone is not credentials', { credentials: { a: { aws_secret_access_key: 's' } } }, 'a', 'E_NO_CREDENTIALS'],
  [
    'keys split over the two files: config-file provider sees only its own id',
    { config: { a: { aws_access_key_id: 'A' } }, credentials: { a: { aws_secret_access_key: 's' } } },
    'a',
    'E_PARTIAL_CREDENTIALS',
  ],
  // §2.3 precedence matrix, every row
  [
    'static keys + role_arn + source_profile=base → AssumeRole with base',
    { config: { p: { role_arn: ROLE, source_profile: 'base', ...KEYS } }, credentials: { base: KEYS } },
    'p',
    'static:base > assumeRole:p',
  ],
  [
    'source_profile and credential_source both',
    { config: { p: { role_arn: ROLE, source_profile: 'base', credential_source: 'Environment' } }, credentials: { base: KEYS } },
    'p',
    'E_BOTH_SOURCE_AND_CREDENTIAL_SOURCE',
  ],
  ['role_arn only', { config: { p: { role_arn: ROLE } } }, 'p', 'E_NO_SOURCE'],
  ['source_profile missing', { config: { p: { role_arn: ROLE, source_profile: 'nope' } } }, 'p', 'E_SOURCE_PROFILE_NOT_FOUND'],
  [
    'credential_source wrong case',
    { config: { p: { role_arn: ROLE, credential_source: 'environment' } } },
    'p',
    'E_INVALID_CREDENTIAL_SOURCE',
  ],
  [
    'credential_source Environment',
    { config: { p: { role_arn: ROLE, credential_source: 'Environment' } } },
    'p',
    'environment:p > assumeRole:p',
  ],
  [
    'credential_source Ec2InstanceMetadata',
    { config: { p: { role_arn: ROLE, credential_source: 'Ec2InstanceMetadata' } } },
    'p',
    'ec2InstanceMetadata:p > assumeRole:p',
  ],
  [
    'credential_source EcsContainer',
    { config: { p: { role_arn: ROLE, credential_source: 'EcsContainer' } } },
    'p',
    'ecsContainer:p > assumeRole:p',
  ],
  [
    'source with static keys and its own role: chain ends at its keys',
    {
      config: { p: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, source_profile: 'c' }, c: KEYS },
      credentials: { b: KEYS },
    },
    'p',
    'static:b > assumeRole:p',
  ],
  [
    'source_profile = itself with static keys',
    { config: { p: { role_arn: ROLE, source_profile: 'p', ...KEYS } } },
    'p',
    'static:p > assumeRole:p',
  ],
  ['source_profile = itself without keys', { config: { p: { role_arn: ROLE, source_profile: 'p' } } }, 'p', 'E_PROFILE_LOOP'],
  [
    'A → B → A cycle',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, source_profile: 'a' } } },
    'a',
    'E_PROFILE_LOOP',
  ],
  [
    'A → B → B (B self-reference with keys) is fine',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, source_profile: 'b', ...KEYS } } },
    'a',
    'static:b > assumeRole:a',
  ],
  [
    'A → B → C → B cycle',
    {
      config: {
        a: { role_arn: ROLE, source_profile: 'b' },
        b: { role_arn: ROLE, source_profile: 'c' },
        c: { role_arn: ROLE, source_profile: 'b' },
      },
    },
    'a',
    'E_PROFILE_LOOP',
  ],
  [
    'source = credential_process + role_arn, no source',
    { config: { p: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, credential_process: 'x' } } },
    'p',
    'E_NO_SOURCE',
  ],
  [
    'source = credential_process only',
    { config: { p: { role_arn: ROLE, source_profile: 'b' }, b: { credential_process: 'x' } } },
    'p',
    'process:b > assumeRole:p',
  ],
  [
    'source = credential_source only (no role_arn)',
    { config: { p: { role_arn: ROLE, source_profile: 'b' }, b: { credential_source: 'Environment' } } },
    'p',
    'E_SOURCE_HAS_NO_CREDENTIALS',
  ],
  [
    'credential_process + static keys, both in config: process wins',
    { config: { a: { credential_process: 'x', ...KEYS } } },
    'a',
    'process:a',
  ],
  [
    'credential_process in config + keys in credentials: static wins',
    { config: { a: { credential_process: 'x' } }, credentials: { a: KEYS } },
    'a',
    'static:a',
  ],
  ['role_arn + credential_process, no source', { config: { a: { role_arn: ROLE, credential_process: 'x' } } }, 'a', 'E_NO_SOURCE'],
  // chains and sources
  [
    'three hops',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, source_profile: 'c' } }, credentials: { c: KEYS } },
    'a',
    'static:c > assumeRole:b > assumeRole:a',
  ],
  [
    'chain ending in credential_source',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, credential_source: 'EcsContainer' } } },
    'a',
    'ecsContainer:b > assumeRole:b > assumeRole:a',
  ],
  [
    'source is sso',
    {
      config: {
        a: { role_arn: ROLE, source_profile: 's' },
        s: { sso_account_id: '1', sso_role_name: 'r', sso_start_url: 'u', sso_region: 'r' },
      },
    },
    'a',
    'sso:s > assumeRole:a',
  ],
  [
    'source is web identity',
    { config: { a: { role_arn: ROLE, source_profile: 'w' }, w: { role_arn: ROLE, web_identity_token_file: '/t' } } },
    'a',
    'webIdentity:w > assumeRole:a',
  ],
  [
    'source with nothing',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { region: 'x' } } },
    'a',
    'E_SOURCE_HAS_NO_CREDENTIALS',
  ],
  [
    'source with partial keys',
    { config: { a: { role_arn: ROLE, source_profile: 'b' } }, credentials: { b: { aws_access_key_id: 'A' } } },
    'a',
    'E_PARTIAL_CREDENTIALS',
  ],
  [
    'source whose sso is broken',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { sso_role_name: 'r' } } },
    'a',
    'E_SSO_CONFIG',
  ],
  [
    'error deep in a chain',
    { config: { a: { role_arn: ROLE, source_profile: 'b' }, b: { role_arn: ROLE, source_profile: 'gone' } } },
    'a',
    'E_SOURCE_PROFILE_NOT_FOUND',
  ],
  [
    'role_arn + sso keys: assume-role first',
    { config: { a: { role_arn: ROLE, source_profile: 'b', sso_account_id: '1' } }, credentials: { b: KEYS } },
    'a',
    'static:b > assumeRole:a',
  ],
  ['empty role_arn is still an assume-role profile', { config: { a: { role_arn: '', ...KEYS } } }, 'a', 'E_NO_SOURCE'],
  ['empty source_profile names no profile', { config: { a: { role_arn: ROLE, source_profile: '' } } }, 'a', 'E_SOURCE_PROFILE_NOT_FOUND'],
  [
    'profile names with spaces and dots',
    { config: { 'Access Customer.A': { role_arn: ROLE, source_profile: 'base user' } }, credentials: { 'base user': KEYS } },
    'Access Customer.A',
    'static:base user > assumeRole:Access Customer.A',
  ],
];

for (const [name, spec, profile, expected] of rows) {
  test(`plan: ${name}`, () => assert.equal(outcome(spec, profile), expected));
}

function hop(spec: Spec, profile: string): AssumeRoleStep {
  const last = resolvePlan(buildConfig(spec), profile).steps.at(-1);
  assert.ok(last && last.kind === 'assumeRole');
  return last;
}

const base = { credentials: { base: KEYS } };
const durationRows: [string, number | null][] = [
  ['3600', 3600],
  [' 900', 900],
  ['+900', 900],
  ['1_000', 1000],
  ['-5', -5],
  ['1.5', null],
  ['abc', null],
  ['', null],
  ['9e3', null],
];
for (const [value, expected] of durationRows) {
  test(`plan: duration_seconds "${value}" → ${expected} (python int(), else ignored)`, () => {
    assert.equal(
      hop({ ...base, config: { p: { role_arn: ROLE, source_profile: 'base', duration_seconds: value } } }, 'p').durationSeconds,
      expected,
    );
  });
}

test('plan: session_tags keeps every key as an own property, __proto__ included', () => {
  const spec: Spec = { ...base, config: { p: { role_arn: ROLE, source_profile: 'base', session_tags: '__proto__=x, team=blue' } } };
  const tags = hop(spec, 'p').sessionTags;
  assert.deepEqual(Object.entries(tags), [
    ['__proto__', 'x'],
    ['team', 'blue'],
  ]);
  assert.equal(Object.getPrototypeOf(tags), Object.prototype);
});

test('plan: hop fields and aws-vault/swrole extras come from each hop’s own profile', () => {
  const spec: Spec = {
    ...base,
    config: {
      p: {
        role_arn: ROLE,
        source_profile: 'mid',
        mfa_serial: 'arn:aws:iam::1:mfa/me',
        external_id: 'ext',
        role_session_name: 'me',
        mfa_process: 'pass otp aws',
        source_identity: 'alice',
        session_tags: 'team=blue, env=prod,bad',
        transitive_session_tags: 'team, env',
        swrole_session_policy_arns: 'arn:aws:iam::aws:policy/ReadOnlyAccess,arn:x',
        swrole_session_policy_file: '/p.json',
      },
      mid: { role_arn: 'arn:aws:iam::210987654321:role/mid', source_profile: 'base', duration_seconds: '7200' },
    },
  };
  const plan = resolvePlan(buildConfig(spec), 'p');
  const [, mid, top] = plan.steps;
  assert.ok(mid && top);
  assert.deepEqual(
    { mfa: mid.mfaSerial, ext: mid.externalId, dur: mid.durationSeconds, tags: mid.sessionTags, policies: mid.policyArns },
    { mfa: null, ext: null, dur: 7200, tags: {}, policies: [] },
  );
  assert.deepEqual(
    [
      top.mfaSerial,
      top.externalId,
      top.roleSessionName,
      top.mfaProcess,
      top.sourceIdentity,
      top.sessionTags,
      top.transitiveTagKeys,
      top.policyArns,
      top.policyFile,
    ],
    [
      'arn:aws:iam::1:mfa/me',
      'ext',
      'me',
      'pass otp aws',
      'alice',
      { team: 'blue', env: 'prod' },
      ['team', 'env'],
      ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:x'],
      '/p.json',
    ],
  );
});

test('plan: explain JSON has exactly the contract fields', () => {
  const spec: Spec = {
    config: {
      p: { role_arn: ROLE, source_profile: 'w', region: 'eu-west-1', mfa_serial: 'm', session_tags: 'a=b' },
      w: { role_arn: 'arn:w', web_identity_token_file: '/t' },
    },
  };
  assert.deepEqual(JSON.parse(JSON.stringify(toExplainJson(resolvePlan(buildConfig(spec), 'p')))), {
    profile: 'p',
    region: 'eu-west-1',
    steps: [
      { profile: 'w', kind: 'webIdentity', roleArn: 'arn:w' },
      { profile: 'p', kind: 'assumeRole', roleArn: ROLE, mfaSerial: 'm', externalId: null, durationSeconds: null, roleSessionName: null },
    ],
  });
});

test('plan: messages name the profile; a loop lists every profile visited; exit 3 with a hint', () => {
  const spec: Spec = {
    config: {
      a: { role_arn: ROLE, source_profile: 'b' },
      b: { role_arn: ROLE, source_profile: 'c' },
      c: { role_arn: ROLE, source_profile: 'a' },
    },
  };
  assert.throws(
    () => resolvePlan(buildConfig(spec), 'a'),
    (error: unknown) => {
      assert.ok(isSwroleError(error));
      assert.equal(error.exit, 3);
      assert.ok(error.hint);
      for (const name of ['"a"', '"b"', '"c"']) assert.ok(error.message.includes(name), error.message);
      return true;
    },
  );
  assert.throws(() => resolvePlan(buildConfig({ config: { p: { role_arn: ROLE, source_profile: 'nope' } } }), 'p'), /"nope".*"p"/);
});

test('plan: region is the selected profile’s, not the source’s; --region wins', () => {
  const spec: Spec = { config: { p: { role_arn: ROLE, source_profile: 'b', region: 'eu-west-1' }, b: { ...KEYS, region: 'us-east-2' } } };
  assert.equal(resolvePlan(buildConfig(spec), 'p').region, 'eu-west-1');
  assert.equal(resolvePlan(buildConfig(spec), 'b').region, 'us-east-2');
  assert.equal(resolvePlan(buildConfig(spec), 'p', { region: 'ap-south-1' }).region, 'ap-south-1');
  assert.equal(resolvePlan(buildConfig({ credentials: { x: KEYS } }), 'x').region, null);
});

test('plan: a login_session profile is refused by name, with what to use instead', () => {
  assert.throws(() => resolvePlan(buildConfig({ config: { a: { login_session: 'arn:aws:iam::1:user/u', region: 'eu-west-1' } } }), 'a'), {
    code: 'E_LOGIN_SESSION_UNSUPPORTED',
    exit: 3,
    message: 'profile "a" uses login_session (aws login), which swrole does not support yet',
    hint: 'use `aws login` for this profile, or give it role_arn + source_profile',
  });
});

test('SSO configuration errors are botocore verbatim (the differential test compares them with botocore itself)', () => {
  const message = (spec: Spec, profile: string) => {
    try {
      resolvePlan(buildConfig(spec), profile);
    } catch (error) {
      if (isSwroleError(error)) return error.message;
    }
    return 'resolved';
  };
  assert.equal(
    message(
      { config: { a: { sso_session: 's', sso_region: 'r', sso_account_id: '1', sso_role_name: 'r' } }, sso: { s: { sso_start_url: 'u' } } },
      'a',
    ),
    `The profile "a" is configured to use the SSO token provider but is missing the following configuration: ['sso_region'].`,
  );
  assert.equal(
    message({ config: { a: { sso_account_id: '1' } } }, 'a'),
    'The profile "a" is configured to use SSO but is missing required configuration: sso_role_name, sso_start_url, sso_region',
  );
  assert.equal(
    message({ config: { a: { sso_session: 'nope', sso_account_id: '1', sso_role_name: 'r' } } }, 'a'),
    'The specified sso-session does not exist: "nope"',
  );
});
