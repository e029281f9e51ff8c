// Spec sheet for agent session scope, the inline session policy check, the agent view and the audit log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePlan } from '../../src/plan/resolve-plan.js';
import { roleKeys } from '../../src/credentials/plan-cache-keys.js';
import { planHops } from '../../src/credentials/plan-strategy.js';
import {
  AGENT_TAG_KEY,
  applyAgentScope,
  READ_ONLY_POLICY_ARN,
  renderAgentSessionName,
  sanitizeSourceIdentity,
} from '../../src/credentials/agent-scope.js';
import { readAttributionSettings } from '../../src/credentials/agent-scope.js';
import { MAX_POLICY_CHARS, parseSessionPolicy } from '../../src/credentials/session-policy.js';
import { renderAgentView } from '../../src/agent/view/render-agent-view.js';
import { appendAuditRecord, type AuditRecord } from '../../src/audit/audit-log.js';
import type { AssumeRoleStep } from '../../src/plan/types.js';
import { world } from '../helpers/agent-scope-world.js';

const lastStep = (plan: ReturnType<typeof resolvePlan>) => plan.steps[plan.steps.length - 1] as AssumeRoleStep;
const ENV = { USER: 'jane doe' };

describe('applyAgentScope', () => {
  it("read-only adds the ReadOnlyAccess ARN after the profile's own; agent adds SourceIdentity, tag, session name", () => {
    const w = world();
    try {
      const plan = resolvePlan(w.config, 'a');
      const scoped = lastStep(applyAgentScope(w.config, plan, { readOnly: true, agent: 'claude' }, ENV));
      assert.deepEqual(scoped.policyArns, ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', READ_ONLY_POLICY_ARN]);
      assert.deepEqual(scoped.agentAttribution, {
        sourceIdentity: { value: 'jane-doe', mode: 'auto' },
        tag: { key: AGENT_TAG_KEY, value: 'claude', mode: 'auto' },
      });
      assert.equal(scoped.sourceIdentity, null, "the profile's own source_identity stays apart (always sent)");
      assert.deepEqual(scoped.sessionTags, {});
      assert.equal(scoped.roleSessionName, 'swrole-jane-doe-claude');
      assert.equal(lastStep(plan).policyArns.length, 1, 'the input plan is not mutated');
    } finally {
      w.cleanup();
    }
  });
  it('profile keys win: source_identity, role_session_name; swrole_agent_tags = false (the old spelling of off) drops the tag', () => {
    const w = world();
    try {
      const scoped = lastStep(applyAgentScope(w.config, resolvePlan(w.config, 'tagged'), { readOnly: false, agent: 'codex' }, ENV));
      assert.equal(scoped.sourceIdentity, 'fixed-id');
      assert.equal(scoped.roleSessionName, 'mine');
      assert.deepEqual(scoped.agentAttribution, {}, 'no agent SourceIdentity beside the profile’s own, no tag');
      assert.deepEqual(scoped.sessionTags, {});
    } finally {
      w.cleanup();
    }
  });
  it('every restriction changes the role cache key; no scope keeps it', () => {
    const w = world();
    try {
      const plan = resolvePlan(w.config, 'a');
      const key = (p: typeof plan) =>
        roleKeys(w.config, p, planHops(w.config, p, undefined), { url: 'http://x', signingRegion: 'us-east-1', source: 'regional' }).at(-1);
      const variants = [
        applyAgentScope(w.config, plan, { readOnly: false }, ENV),
        applyAgentScope(w.config, plan, { readOnly: true }, ENV),
        applyAgentScope(w.config, plan, { readOnly: false, policyFile: '/p.json' }, ENV),
        applyAgentScope(w.config, plan, { readOnly: false, agent: 'claude' }, ENV),
        applyAgentScope(w.config, plan, { readOnly: false, agent: 'codex' }, ENV),
      ].map(key);
      assert.equal(variants[0], key(plan));
      assert.equal(new Set(variants).size, 5);
    } finally {
      w.cleanup();
    }
  });
  it("sanitises names to STS's [\\w+=,.@-]{2,64}", () => {
    for (const [input, want] of [
      ['a', 'a-'],
      ['jane doe', 'jane-doe'],
      ['ü:x', '--x'],
      ['x'.repeat(80), 'x'.repeat(64)],
    ] as const) {
      assert.equal(sanitizeSourceIdentity(input), want);
    }
    assert.match(renderAgentSessionName('DOMAIN\\user', 'claude'), /^[\w+=,.@-]{2,64}$/);
    assert.equal(renderAgentSessionName('u'.repeat(70), 'claude').length, 64);
  });
});

describe('parseSessionPolicy', () => {
  const ok = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] };
  it('accepts a policy and returns it minified', () => {
    assert.equal(parseSessionPolicy(JSON.stringify(ok, null, 4), 'p.json'), JSON.stringify(ok));
  });
  const bad: Array<[string, string, RegExp]> = [
    ['not json', '{', /not valid JSON/],
    ['array', '[]', /not a JSON object/],
    ['no version', JSON.stringify({ Statement: ok.Statement }), /Version/],
    ['no statement', JSON.stringify({ Version: '2012-10-17' }), /Statement/],
    ['bad effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'allow' }] }), /Effect/],
    [
      'too long',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'x'.repeat(MAX_POLICY_CHARS), Resource: '*' }] }),
      /over STS's 2048/,
    ],
  ];
  for (const [name, text, message] of bad) {
    it(`refuses ${name} with E_POLICY_INVALID naming the file`, () => {
      assert.throws(
        () => parseSessionPolicy(text, '/x/p.json'),
        (e: Error & { code?: string; exit?: number }) =>
          e.code === 'E_POLICY_INVALID' && e.exit === 3 && message.test(e.message) && e.message.includes('/x/p.json'),
      );
    });
  }
});

describe('renderAgentView', () => {
  // What botocore makes of the view (profiles, services, the credential_process argv): test/interop/agent-view-botocore.test.ts.
  it('keeps region, endpoints, services and sub-sections, drops every credential key', () => {
    const w = world();
    try {
      const source = { configFile: join(w.dir, 'config'), credentialsFile: join(w.dir, 'credentials') };
      const text = renderAgentView(w.config, ['a', 'with space'], source, {
        nodePath: '/usr/bin/node',
        selfPath: "/opt/it's swrole/swrole.js",
        scope: { readOnly: true, agent: 'claude' },
        durationSeconds: 900,
      });
      assert.doesNotMatch(text, /role_arn|source_profile|mfa_serial|aws_access_key_id|swrole_session|s3cr3t/);
      assert.match(text, /^region = eu-west-1$/m);
      assert.match(text, /^credential_process = /m);
    } finally {
      w.cleanup();
    }
  });
});

describe('appendAuditRecord', () => {
  it('appends JSON lines 0600 and rotates at the size limit, keeping one previous file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swrole-audit-'));
    try {
      const record: AuditRecord = {
        time: '2026-01-01T00:00:00.000Z',
        command: 'process',
        profile: 'a',
        roleArn: 'arn:aws:iam::1:role/R',
        agent: 'claude',
        pid: 1,
        source: 'hit',
      };
      const line = JSON.stringify(record).length + 1;
      for (let i = 0; i < 5; i++) assert.equal(appendAuditRecord(dir, { ...record, pid: i }, line * 3), true);
      const current = readFileSync(join(dir, 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditRecord);
      const previous = readFileSync(join(dir, 'audit.log.1'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditRecord);
      assert.deepEqual(
        previous.map((r) => r.pid),
        [0, 1, 2],
      );
      assert.deepEqual(
        current.map((r) => r.pid),
        [3, 4],
      );
      assert.equal(statSync(join(dir, 'audit.log')).mode & 0o777, 0o600);
      assert.equal(appendAuditRecord(join(dir, 'missing', 'x'), record), false, 'a failure is reported, not thrown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readAttributionSettings', () => {
  it('off / auto / required, and the old booleans', () => {
    assert.deepEqual(readAttributionSettings({ swrole_agent_tags: 'false' }, 'a'), { sourceIdentity: 'auto', tags: 'off' });
    assert.deepEqual(readAttributionSettings({ swrole_agent_tags: 'required', swrole_source_identity: 'off' }, 'a'), {
      sourceIdentity: 'off',
      tags: 'required',
    });
  });
  it('a typo is E_SETTING_VALUE (exit 3) naming the profile and the key, not a silent mode', () => {
    assert.throws(() => readAttributionSettings({ swrole_agent_tags: 'maybe' }, 'dev'), {
      code: 'E_SETTING_VALUE',
      exit: 3,
      message: 'profile "dev": swrole_agent_tags = maybe: expected off, auto or required',
    });
  });
});
