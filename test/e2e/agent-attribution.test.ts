// Agent attribution is best effort (issue 9 §2): roles whose trust policy allows only sts:AssumeRole still give
// an agent its session; the refusal is remembered per role so the next call pays nothing; `required` fails
// clearly; a role allowing both gets both. The built binary against the strict emulator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ROLE_ASSUME_ONLY_ARN, ROLE_NO_MFA_ARN, ROLE_TAGS_ONLY_ARN, USER_ARN } from '../helpers/emulator-world.js';
import { runSwrole, sampleConfig, type Sandbox } from '../helpers/swrole-run.js';

let emu: EmulatorHandle;
let box: Sandbox;

const env = () => ({ ...box.env, USER: 'jane', SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });
const swrole = (args: string[]) => runSwrole(args, env(), { timeoutMs: 60_000 });
const assumes = () => emu.calls().filter((c) => c.action === 'AssumeRole');

const role = (name: string, arn: string, extra = '') => `
[profile ${name}]
role_arn = ${arn}
source_profile = base
region = us-east-1
${extra}`;

useEmulatorSandbox((fixture) => {
  ({ emu, box } = fixture);
  const config =
    sampleConfig(box.dir) +
    role('plain', ROLE_ASSUME_ONLY_ARN) +
    role('plain-required', ROLE_ASSUME_ONLY_ARN, 'swrole_agent_tags = required\n') +
    role('plain-si-required', ROLE_ASSUME_ONLY_ARN, 'swrole_source_identity = required\nswrole_agent_tags = off\n') +
    role('plain-off', ROLE_ASSUME_ONLY_ARN, 'swrole_agent_tags = false\nswrole_source_identity = off\n') +
    role('tags-only', ROLE_TAGS_ONLY_ARN, 'swrole_agent_tags = required\nswrole_source_identity = auto\n') +
    role('both', ROLE_NO_MFA_ARN) +
    role('typo', ROLE_NO_MFA_ARN, 'swrole_agent_tags = sometimes\n');
  writeFileSync(box.configFile, config);
});

describe('agent attribution is best effort (e2e)', () => {
  it('a role trusting only sts:AssumeRole: one refused call, one success, one warning; the next process pays no refused call', async () => {
    const r = await swrole(['process', 'plain', '--agent', 'claude']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).AccessKeyId, /^ASIA/);
    const [refused, ok, ...rest] = assumes();
    assert.equal(rest.length, 0);
    assert.equal(refused?.code, 'AccessDenied');
    assert.equal(refused?.params['Tags.member.1.Key'], 'swrole:agent');
    assert.equal(refused?.params.SourceIdentity, 'jane');
    assert.equal(ok?.code, 'OK');
    assert.equal(ok?.params['Tags.member.1.Key'], undefined, 'retried without the tag');
    assert.equal(ok?.params.SourceIdentity, undefined, 'and without the SourceIdentity');
    assert.equal(ok?.params.RoleSessionName, 'swrole-jane-claude', 'the session name still says who');
    const warnings = r.stderr.match(/warning: /g) ?? [];
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `warning: the trust policy of ${ROLE_ASSUME_ONLY_ARN} does not allow sts:TagSession: this session goes without the swrole:agent session tag and the SourceIdentity`,
      ),
    );
    assert.match(r.stderr, /add "sts:TagSession" and "sts:SetSourceIdentity" to the Action list/);
    assert.match(r.stderr, /set swrole_agent_tags = off and swrole_source_identity = off in profile "plain"/);
    assert.equal(readdirSync(join(box.stateDir, 'refusals')).filter((f) => f.endsWith('.json')).length, 1);

    // A new process that needs a new session (--no-cache skips the session cache, not the refusal record).
    const next = await swrole(['process', 'plain', '--agent', 'claude', '--no-cache']);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(next.stderr, '', 'no warning again');
    const after = assumes();
    assert.equal(after.length, 3);
    assert.equal(after[2]?.code, 'OK', 'no refused call first');
    assert.equal(after[2]?.params['Tags.member.1.Key'], undefined);
  });

  it('the record expires after 6 h (or with logout --all): a fixed trust policy is noticed', async () => {
    emu.reset();
    emu.advance(6 * 3600 + 60);
    const r = await swrole(['process', 'plain', '--agent', 'claude', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      assumes().map((c) => c.code),
      ['AccessDenied', 'OK'],
      'tried the attribution again',
    );
    const out = await swrole(['logout', '--all']);
    assert.equal(out.code, 0, out.stderr);
    emu.reset();
    assert.equal((await swrole(['process', 'plain', '--agent', 'claude'])).code, 0);
    assert.deepEqual(
      assumes().map((c) => c.code),
      ['AccessDenied', 'OK'],
      'forgotten by logout --all',
    );
  });

  it('required: a refusal is an error naming the action and the trust-policy fix, exit 4, one call', async () => {
    emu.reset();
    const r = await swrole(['process', 'plain-required', '--agent', 'claude']);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(
        `profile "plain-required": role ${ROLE_ASSUME_ONLY_ARN} does not allow sts:TagSession, and swrole_agent_tags = required: User: ${USER_ARN} is not authorized to perform: sts:TagSession on resource: ${ROLE_ASSUME_ONLY_ARN}`,
      ),
    );
    assert.match(
      r.stderr,
      /hint: add "sts:TagSession" to the Action list of the statement in the trust policy of .* or set swrole_agent_tags = auto/,
    );
    assert.equal(assumes().length, 1);
    const si = await swrole(['process', 'plain-si-required', '--agent', 'claude', '--debug']);
    assert.equal(si.code, 4);
    assert.match(si.stderr, /does not allow sts:SetSourceIdentity, and swrole_source_identity = required/);
    assert.match(si.stderr, /E_ATTRIBUTION_REFUSED/);
  });

  it('required tags, auto SourceIdentity on a role that allows tags only: retried without the SourceIdentity, the tag kept', async () => {
    emu.reset();
    const r = await swrole(['process', 'tags-only', '--agent', 'codex']);
    assert.equal(r.code, 0, r.stderr);
    const [refused, ok] = assumes();
    assert.match(r.stderr, /does not allow sts:SetSourceIdentity/);
    assert.equal(refused?.code, 'AccessDenied');
    assert.equal(ok?.params['Tags.member.1.Value'], 'codex');
    assert.equal(ok?.params.SourceIdentity, undefined);
  });

  it('off (also the old spelling false): nothing sent, nothing refused, no warning', async () => {
    emu.reset();
    const r = await swrole(['process', 'plain-off', '--agent', 'claude']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(
      assumes().map((c) => [c.code, c.params.SourceIdentity, c.params['Tags.member.1.Key']]),
      [['OK', undefined, undefined]],
    );
  });

  it('a role allowing both gets both; a typo in the setting is a config error', async () => {
    emu.reset();
    const r = await swrole(['process', 'both', '--agent', 'claude']);
    assert.equal(r.code, 0, r.stderr);
    const [ok] = assumes();
    assert.equal(ok?.code, 'OK');
    assert.equal(ok?.params.SourceIdentity, 'jane');
    assert.equal(ok?.params['Tags.member.1.Key'], 'swrole:agent');
    assert.equal(ok?.params['Tags.member.1.Value'], 'claude');
    assert.deepEqual(ok?.issued?.tags, { 'swrole:agent': 'claude' });
    const typo = await swrole(['process', 'typo', '--agent', 'claude']);
    assert.equal(typo.code, 3);
    assert.match(typo.stderr, /profile "typo": swrole_agent_tags = sometimes: expected off, auto or required/);
  });
});
