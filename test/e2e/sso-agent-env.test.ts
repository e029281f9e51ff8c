// IAM Identity Center profiles granted with `swrole agent env` (issue 11 "Agents"; Claude Code's grant is in the
// issue 9 suite, test/helpers/claude-scenarios.ts): the person signed in once, the grant's test issuance and every
// call of the agent's tools (the aws CLI v1, botocore) are served from the token cache, with no OIDC call and no
// prompt; once signed out, the agent's tool is told `swrole login …` and nothing starts a sign-in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDetached } from '../helpers/run-detached.js';
import { APP_ACCOUNT, issueSignIn, writeTokenFile } from '../helpers/sso-world.js';
import { useSsoSuite } from '../helpers/sso-suite.js';

const sso = useSsoSuite({ freshEach: true });

describe('IAM Identity Center profiles granted with `swrole agent env` (issue 11)', () => {
  it('a role chained on an SSO profile and the SSO profile itself: the agent gets them from the token cache; after logout, `swrole login dev` and no sign-in', async () => {
    writeTokenFile(sso.box.home, await issueSignIn(sso.emu.url));
    // --read-only needs an AssumeRole to carry the policy: refused for the SSO profile itself, with what works.
    const refused = await sso.swrole(['agent', 'env', 'dev', '--agent', 'ci', '--read-only', '--format', 'json']);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /profile "dev": --read-only cannot be applied: its credentials come from IAM Identity Center/);
    assert.match(refused.stderr, /grant a profile that assumes a role from it \(role_arn \+ source_profile = dev\)/);
    assert.equal(refused.stdout, '');

    const granted = await sso.swrole(['agent', 'env', 'app', '--agent', 'ci', '--read-only', '--format', 'json']);
    assert.equal(granted.code, 0, granted.stderr);
    const vars = JSON.parse(granted.stdout) as Record<string, string>;
    assert.equal(vars.AWS_PROFILE, 'app@agent');
    assert.match(granted.stderr, /^swrole: {3}app ready /m);
    const plain = await sso.swrole(['agent', 'env', 'dev', '--agent', 'ci', '--format', 'json']);
    assert.equal(plain.code, 0, plain.stderr);
    const devVars = JSON.parse(plain.stdout) as Record<string, string>;
    assert.equal(sso.oidcCount(), 0, 'the grants used the sign-in as it was');

    // The agent's tools: only the view's variables (and the emulator's endpoints), no agent-side sign-in possible.
    const agentEnv = { ...sso.pythonEnv({ CI: 'true' }), ...vars };
    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], agentEnv, '', 60_000);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.trim(), new RegExp(`^arn:aws:sts::${APP_ACCOUNT}:assumed-role/App/swrole-.*-ci$`));
    const assume = sso.emu.calls().find((c) => c.action === 'AssumeRole' && c.code === 'OK');
    assert.match(assume?.callerArn ?? '', /assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/alice$/, 'signed with the SSO role session');
    assert.ok(assume?.params['PolicyArns.member.1.arn'] ?? assume?.params.Policy, 'read-only');
    const devEnv = { ...sso.pythonEnv({ CI: 'true' }), ...devVars };
    const devKey = await sso.botocore(devVars.AWS_PROFILE!, devEnv);
    assert.match(devKey.key ?? '', /^ASIA/, JSON.stringify(devKey));
    assert.equal(sso.oidcCount(), 0);
    const portal = sso.count('GetRoleCredentials');

    const out = await sso.swrole(['logout', 'dev']);
    assert.equal(out.code, 0, out.stderr);
    const after = await sso.botocore(devVars.AWS_PROFILE!, devEnv);
    assert.match(after.error ?? '', /swrole login dev/, JSON.stringify(after));
    assert.equal(sso.oidcCount(), 0, 'no RegisterClient, no device authorization from the agent');
    console.log(
      `# measured: agent env (SSO): grant + aws CLI + botocore: 0 OIDC calls, ${portal} GetRoleCredentials; after logout: 0 OIDC calls`,
    );
  });
});
