import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGuard, renderGuardOutput } from '../../src/agent/guard/guard.js';
import { parseShellCommands } from '../../src/agent/guard/shell-words.js';

const ALLOWED = ['dev-ro', 'staging'];

/** A PreToolUse input as Claude Code sends it for the Bash tool (docs/reference/agents.md §1.5). */
function bash(command: string): unknown {
  return {
    session_id: 'abc123',
    transcript_path: '/home/u/.claude/projects/p/abc123.jsonl',
    cwd: '/home/u/project',
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_use_id: 'toolu_01',
    tool_input: { command, description: 'run it', timeout: 120000, run_in_background: false },
  };
}

// [label, hook input, expected decision, a fragment the deny reason must contain]
const CASES: Array<[string, unknown, 'allow' | 'deny', string?]> = [
  ['plain aws call', bash('aws s3 ls'), 'allow'],
  ['aws with an allowed profile', bash('aws sts get-caller-identity --profile dev-ro'), 'allow'],
  ['aws --profile=allowed', bash('aws s3 ls --profile=staging'), 'allow'],
  ['aws with another profile', bash('aws s3 ls --profile prod-admin'), 'deny', 'profile "prod-admin"'],
  ['aws --profile=other', bash('aws s3 ls --profile=prod'), 'deny', 'profile "prod"'],
  ['quoted other profile', bash('aws s3 ls --profile "prod admin"'), 'deny', 'profile "prod admin"'],
  ['other profile after &&', bash('cd infra && aws ec2 describe-instances --profile prod'), 'deny', 'prod'],
  ['other profile after ;', bash('echo hi; aws s3 ls --profile prod'), 'deny', 'prod'],
  ['other profile in a pipe', bash('aws s3 ls --profile prod | head -5'), 'deny', 'prod'],
  ['AWS_PROFILE prefix, other', bash('AWS_PROFILE=prod aws s3 ls'), 'deny', 'AWS_PROFILE='],
  ['AWS_PROFILE prefix, allowed', bash('AWS_PROFILE=dev-ro aws s3 ls'), 'allow'],
  ['export AWS_PROFILE other', bash('export AWS_PROFILE=prod && aws s3 ls'), 'deny', 'prod'],
  ['export AWS_DEFAULT_PROFILE other', bash('export AWS_DEFAULT_PROFILE=prod'), 'deny', 'prod'],
  ['bare assignment of AWS_PROFILE', bash('AWS_PROFILE=prod; aws s3 ls'), 'deny', 'prod'],
  ['env wrapper', bash('env AWS_PROFILE=prod aws s3 ls'), 'deny', 'prod'],
  ['timeout wrapper', bash('timeout 30 aws s3 ls --profile prod'), 'deny', 'prod'],
  ['absolute path to aws', bash('/usr/local/bin/aws s3 ls --profile prod'), 'deny', 'prod'],
  ['profile from a variable', bash('aws s3 ls --profile "$P"'), 'deny', 'variable'],
  ['bash -c with other profile', bash('bash -c "aws s3 ls --profile prod"'), 'deny', 'prod'],
  ['eval with other profile', bash("eval 'aws s3 ls --profile prod'"), 'deny', 'prod'],
  ['inside $( )', bash('echo $(aws sts get-caller-identity --profile prod)'), 'deny', 'prod'],
  ['cdk with other profile', bash('npx cdk deploy --profile prod'), 'allow'],
  ['cdk directly with other profile', bash('cdk deploy --profile prod'), 'deny', 'prod'],
  ['key id in env prefix', bash('AWS_ACCESS_KEY_ID=AKIAJ3SCG2EY7L6GMMPM aws s3 ls'), 'deny', 'access key'],
  ['documentation key in env prefix', bash('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE aws s3 ls'), 'deny', 'AWS_ACCESS_KEY_ID'],
  ['documentation example key is text', bash('echo AKIAIOSFODNN7EXAMPLE is the example from the docs'), 'allow'],
  ['secret assigned from a variable', bash('AWS_SECRET_ACCESS_KEY="$S" aws s3 ls'), 'deny', 'AWS_SECRET_ACCESS_KEY'],
  ['export session token', bash('export AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaD'), 'deny', 'AWS_SESSION_TOKEN'],
  ['aws configure set secret', bash('aws configure set aws_secret_access_key wJalrXUtnFEMI'), 'deny', 'aws_secret_access_key'],
  ['aws configure set profile.key', bash('aws configure set profile.x.aws_access_key_id ABC'), 'deny', 'aws_access_key_id'],
  ['aws configure set region', bash('aws configure set region eu-west-1'), 'allow'],
  ['--access-key flag', bash('aws some-tool --access-key ABC --secret-key DEF'), 'deny', '--access-key'],
  ['temporary key id in a heredoc', bash('cat <<EOF > creds\nASIAJ3SCG2EY7L6GMMPM\nEOF'), 'deny', 'access key'],
  ['cat credentials', bash('cat ~/.aws/credentials'), 'deny', '~/.aws'],
  ['grep credentials via $HOME', bash('grep -A2 default "$HOME/.aws/credentials"'), 'deny', '~/.aws'],
  ['absolute credentials path', bash('head /home/u/.aws/credentials'), 'deny', '~/.aws'],
  ['python reading credentials', bash('python3 -c \'print(open("/root/.aws/credentials").read())\''), 'deny', '~/.aws'],
  ['reading ~/.aws/config', bash('cat ~/.aws/config'), 'deny', '~/.aws'],
  ['cd into ~/.aws, then a relative path', bash('cd ~/.aws && cat credentials'), 'deny', '~/.aws'],
  ["reading swrole's cache (the MFA session)", bash('cat ~/.cache/swrole/sessions/*.json'), 'deny', 'state directory'],
  ["reading swrole's state", bash('tail ${HOME}/.local/state/swrole/audit.log'), 'deny', 'state directory'],
  ['a name that only starts like .aws', bash('ls ~/.aws-old ~/.awsome'), 'allow'],
  ['unsetting keys is fine', bash('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; aws s3 ls'), 'allow'],
  ['empty AWS_PROFILE', bash('AWS_PROFILE= aws s3 ls'), 'deny', 'empties'],
  ['export of a granted profile', bash('export AWS_PROFILE=staging; aws s3 ls'), 'allow'],
  ['AWS_CONFIG_FILE pointed elsewhere', bash('AWS_CONFIG_FILE=/tmp/c aws s3 ls'), 'deny', 'AWS_CONFIG_FILE'],
  ['export AWS_SHARED_CREDENTIALS_FILE', bash('export AWS_SHARED_CREDENTIALS_FILE=/tmp/k'), 'deny', 'AWS_SHARED_CREDENTIALS_FILE'],
  ['unset the view', bash('unset AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE; aws s3 ls'), 'deny', 'removes'],
  ['unset AWS_PROFILE', bash('unset AWS_PROFILE && aws s3 ls'), 'deny', 'AWS_PROFILE'],
  ['env -u the config file', bash('env -u AWS_CONFIG_FILE aws s3 ls'), 'deny', 'AWS_CONFIG_FILE'],
  ['env --unset= the profile', bash('env --unset=AWS_PROFILE aws s3 ls'), 'deny', 'AWS_PROFILE'],
  ['env -i', bash('env -i PATH=/usr/bin aws s3 ls'), 'deny', 'env -i'],
  ['export -n the config file', bash('export -n AWS_CONFIG_FILE'), 'deny', 'removes'],
  ['profile word only in a quoted string', bash('echo "use --profile prod next time"'), 'allow'],
  ['comment mentions a profile', bash('ls # aws s3 ls --profile prod'), 'allow'],
  ['swrole whoami allowed profile', bash('swrole whoami dev-ro'), 'allow'],
  ['swrole exec other profile', bash('swrole exec prod -- aws s3 ls'), 'deny', 'swrole exec'],
  ['swrole list', bash('swrole list'), 'allow'],
  ['swrole whoami, default profile', bash('swrole whoami'), 'allow'],
  ['swrole agent claude (re-grant)', bash('swrole agent claude prod --dir .'), 'deny', 'for the user'],
  ['swrole login', bash('swrole login dev-ro'), 'deny', 'for the user'],
  ['swrole setup', bash('swrole setup dev-ro'), 'deny', 'for the user'],
  ['swrole logout', bash('swrole logout --all'), 'deny', 'for the user'],
  ['swrole by path through node', bash('node /opt/swrole/dist/swrole.js exec dev-ro -- aws s3 ls'), 'deny', 'by its name'],
  ['swrole by absolute path', bash('/usr/local/bin/swrole whoami dev-ro'), 'deny', 'by its name'],
  ['swrole through npx', bash('npx swrole exec dev-ro -- aws s3 ls'), 'deny', 'by its name'],
  ['node running something else', bash('node scripts/build.mjs'), 'allow'],
  ['git commands', bash('git status && npm test 2>&1 | tail -20'), 'allow'],
  ['non-Bash tool', { hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/home/u/.aws/credentials' } }, 'allow'],
  ['Bash without a command', { tool_name: 'Bash', tool_input: {} }, 'allow'],
  ['not an object', 'aws s3 ls --profile prod', 'allow'],
  ['null', null, 'allow'],
];

for (const [label, input, expected, fragment] of CASES) {
  test(`guard: ${label} → ${expected}`, () => {
    const result = decideGuard(input, ALLOWED);
    assert.equal(result.decision, expected, JSON.stringify(result));
    if (result.decision === 'deny') {
      assert.ok(result.reason.startsWith('swrole guard: '));
      assert.ok(fragment === undefined || result.reason.includes(fragment), `reason "${result.reason}" lacks "${fragment}"`);
      // A reason is shown to the model: it must never echo a secret back.
      assert.ok(!/AKIA|ASIA|wJalr|FwoG/.test(result.reason), result.reason);
    }
  });
}

test('the table has 30+ cases', () => assert.ok(CASES.length >= 30));

test('a state dir outside the usual places (SWROLE_HOME) is protected when the hook names it', () => {
  assert.equal(decideGuard(bash('cat /srv/swrole-state/sessions/x.json'), ALLOWED, ['/srv/swrole-state']).decision, 'deny');
  assert.equal(decideGuard(bash('cat /srv/other/x.json'), ALLOWED, ['/srv/swrole-state']).decision, 'allow');
});

test('with no granted profile, any named profile is denied', () => {
  assert.equal(decideGuard(bash('aws s3 ls --profile dev-ro'), []).decision, 'deny');
});

test('deny renders the documented PreToolUse JSON; allow renders nothing', () => {
  const out = renderGuardOutput({ decision: 'deny', reason: 'swrole guard: no' });
  assert.deepEqual(JSON.parse(out), {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'swrole guard: no' },
  });
  assert.equal(renderGuardOutput({ decision: 'allow' }), '');
});

test('tokenizer: quotes, operators, redirections, substitutions', () => {
  const words = parseShellCommands(`A=1 aws 'x y' "a\\"b" c\\ d >out 2>&1 && echo $(date) | wc -l; ls`).map((c) => c.map((w) => w.text));
  assert.deepEqual(words, [['A=1', 'aws', 'x y', 'a"b', 'c d'], ['echo', '$(date)'], ['wc', '-l'], ['ls'], ['date']]);
});
