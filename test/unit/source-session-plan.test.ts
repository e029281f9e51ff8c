// Spec sheet: what a profile without a role hands out (issue 9 §1, issue 10), the attribution switches and the
// retry decision for refused attribution (issue 9 §2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAwsConfig } from '../../src/config/load-aws-config.js';
import { parseModeSetting } from '../../src/config/setting-text.js';
import { resolvePlan } from '../../src/plan/resolve-plan.js';
import { isSwroleError } from '../../src/errors.js';
import { planSourceSession, renderFederationName, type SourceSessionPlan } from '../../src/credentials/plan-source-session.js';
import { decideAttributionRetry, remainingAttribution } from '../../src/credentials/attribution-refusals.js';
import type { AgentScope } from '../../src/credentials/agent-scope.js';
import type { AgentAttribution } from '../../src/plan/types.js';

const CONFIG = `[profile keys]
region = eu-west-1

[profile keys-mfa]
mfa_serial = arn:aws:iam::333333333333:mfa/jane
mfa_process = echo 123456

[profile keys-policy]
swrole_session_policy_arns = arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess

[profile temp]

[profile proc]
credential_process = /bin/true

[profile web]
role_arn = arn:aws:iam::111111111111:role/W
web_identity_token_file = /tmp/token

[profile keys-required]
swrole_agent_tags = required

[profile keys-si-required]
swrole_source_identity = required
`;
const CREDENTIALS = `[keys]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = s

[keys-mfa]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = s

[keys-policy]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = s

[keys-required]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = s

[keys-si-required]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = s

[temp]
aws_access_key_id = ASIAEXAMPLE000000001
aws_secret_access_key = s
aws_session_token = t
`;

function plan(
  profile: string,
  scope: AgentScope | undefined,
  request: { durationSeconds?: number; noSession?: boolean } = {},
): SourceSessionPlan {
  const dir = mkdtempSync(join(tmpdir(), 'swrole-source-session-'));
  try {
    writeFileSync(join(dir, 'config'), CONFIG);
    writeFileSync(join(dir, 'credentials'), CREDENTIALS);
    const config = loadAwsConfig({ env: {}, homedir: dir }, { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') });
    return planSourceSession(config, resolvePlan(config, profile), scope, request, 'jane');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function refused(profile: string, scope: AgentScope): string {
  try {
    plan(profile, scope);
  } catch (error) {
    assert.ok(isSwroleError(error));
    assert.equal(error.code, 'E_SCOPE_UNSUPPORTED');
    assert.equal(error.exit, 3);
    return error.message;
  }
  assert.fail(`expected E_SCOPE_UNSUPPORTED for ${profile}`);
}

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const none: AgentScope = { readOnly: false };

describe('planSourceSession: source × scope → what is handed out', () => {
  it('long-term keys: a plain GetSessionToken session (1 h, or --duration); --no-session: the keys', () => {
    assert.deepEqual(plan('keys', undefined), { kind: 'sessionToken', durationSeconds: 3600, ifLongTerm: false });
    assert.deepEqual(plan('keys', none, { durationSeconds: 900 }), { kind: 'sessionToken', durationSeconds: 900, ifLongTerm: false });
    assert.deepEqual(plan('keys', { readOnly: false, agent: 'claude' }), {
      kind: 'sessionToken',
      durationSeconds: 3600,
      ifLongTerm: false,
    });
    assert.deepEqual(plan('keys', none, { noSession: true }), { kind: 'asIs', why: 'noSession' });
  });

  it('long-term keys with mfa_serial: the MFA session (with or without an agent)', () => {
    const mfa = { kind: 'mfaSession', serial: 'arn:aws:iam::333333333333:mfa/jane', mfaProcess: 'echo 123456' };
    assert.deepEqual(plan('keys-mfa', undefined), mfa);
    assert.deepEqual(plan('keys-mfa', { readOnly: false, agent: 'codex' }), mfa);
  });

  it('long-term keys with a session policy: GetFederationToken (flags and swrole_session_policy_* alike)', () => {
    assert.deepEqual(plan('keys', { readOnly: true, agent: 'claude' }), {
      kind: 'federation',
      ifLongTerm: false,
      request: {
        name: 'swrole-jane-claude',
        durationSeconds: 3600,
        policyArns: [READ_ONLY],
        policyFile: null,
        tag: { key: 'swrole:agent', value: 'claude', mode: 'auto' },
        mfaSerial: null,
      },
    });
    const file = plan('keys-mfa', { readOnly: false, policyFile: '/p.json' });
    assert.equal(file.kind, 'federation');
    assert.deepEqual(file.kind === 'federation' && file.request, {
      name: 'swrole-jane',
      durationSeconds: 3600,
      policyArns: [],
      policyFile: '/p.json',
      mfaSerial: 'arn:aws:iam::333333333333:mfa/jane',
    });
    const configured = plan('keys-policy', undefined);
    assert.deepEqual(configured.kind === 'federation' && configured.request.policyArns, ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
  });

  it('a credential_process: a session only if it returns long-term keys', () => {
    assert.deepEqual(plan('proc', undefined), { kind: 'sessionToken', durationSeconds: 3600, ifLongTerm: true });
    const scoped = plan('proc', { readOnly: true });
    assert.equal(scoped.kind === 'federation' && scoped.ifLongTerm, true);
  });

  it('temporary credentials go out as they are; a scope that cannot apply to them fails', () => {
    assert.deepEqual(plan('temp', undefined), { kind: 'asIs', why: 'temporary' });
    assert.deepEqual(plan('temp', { readOnly: false, agent: 'claude' }), { kind: 'asIs', why: 'temporary' });
    assert.deepEqual(plan('web', undefined), { kind: 'asIs', why: 'temporary' });
    assert.match(refused('temp', { readOnly: true }), /profile "temp": --read-only cannot be applied: its keys are temporary/);
    assert.match(refused('web', { readOnly: false, policyFile: '/p.json' }), /profile "web": --policy cannot be applied: .*web identity/);
  });

  it('attribution required where the session cannot carry it fails; auto goes without', () => {
    assert.match(
      refused('keys-required', { readOnly: false, agent: 'claude' }),
      /swrole_agent_tags = required cannot be applied: .*GetSessionToken/,
    );
    assert.match(
      refused('keys-si-required', { readOnly: true, agent: 'claude' }),
      /swrole_source_identity = required cannot be applied: .*GetFederationToken/,
    );
    const tagged = plan('keys-required', { readOnly: true, agent: 'claude' });
    assert.deepEqual(tagged.kind === 'federation' && tagged.request.tag, { key: 'swrole:agent', value: 'claude', mode: 'required' });
  });

  it('federated user names: swrole-<user>[-<agent>], [\\w+=,.@-], at most 32', () => {
    assert.equal(renderFederationName('jane doe', 'claude'), 'swrole-jane-doe-claude');
    assert.equal(renderFederationName('u'.repeat(40), 'claude').length, 32);
    assert.match(renderFederationName('DOMAIN\\ü', undefined), /^[\w+=,.@-]{2,32}$/);
  });
});

describe('parseModeSetting: off | auto | required, the old booleans too', () => {
  it('reads every spelling', () => {
    for (const [text, want] of [
      [undefined, undefined],
      ['', undefined],
      ['off', 'off'],
      ['false', 'off'],
      [' No ', 'off'],
      ['0', 'off'],
      ['auto', 'auto'],
      ['true', 'auto'],
      ['yes', 'auto'],
      ['REQUIRED', 'required'],
      ['sometimes', null],
    ] as const) {
      assert.equal(parseModeSetting(text), want, String(text));
    }
  });
});

describe('decideAttributionRetry', () => {
  const both: AgentAttribution = {
    sourceIdentity: { value: 'jane', mode: 'auto' },
    tag: { key: 'swrole:agent', value: 'c', mode: 'auto' },
  };
  it('a refused auto part: retry once without every auto part', () => {
    const d = decideAttributionRetry(both, new Set(), 'sts:TagSession');
    assert.deepEqual(d && 'retryWithout' in d && [...d.retryWithout].sort(), ['sourceIdentity', 'tags']);
    assert.deepEqual(remainingAttribution(both, new Set(['tags', 'sourceIdentity'])), {});
  });
  it('a refused required part: fail; an auto part beside it is dropped, the required one never', () => {
    const mixed: AgentAttribution = { sourceIdentity: { value: 'jane', mode: 'auto' }, tag: { key: 'k', value: 'v', mode: 'required' } };
    assert.deepEqual(decideAttributionRetry(mixed, new Set(), 'sts:TagSession'), { required: 'tags' });
    const d = decideAttributionRetry(mixed, new Set(), 'sts:SetSourceIdentity');
    assert.deepEqual(d && 'retryWithout' in d && [...d.retryWithout], ['sourceIdentity']);
    assert.deepEqual(remainingAttribution(mixed, new Set(['tags', 'sourceIdentity'])), { tag: mixed.tag });
  });
  it('not an agent attribution (the profile’s own session_tags) or already dropped: a plain error', () => {
    assert.equal(decideAttributionRetry(undefined, new Set(), 'sts:TagSession'), undefined);
    assert.equal(decideAttributionRetry({ sourceIdentity: both.sourceIdentity }, new Set(), 'sts:TagSession'), undefined);
    assert.equal(decideAttributionRetry(both, new Set(['tags']), 'sts:TagSession'), undefined);
  });
});
