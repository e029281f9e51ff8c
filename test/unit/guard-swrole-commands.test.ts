// The agent guard reads swrole's own command lines through the registry and the shared parser
// (src/agent/guard/swrole-profile-words.ts): every command whose operand is a profile, every option whose value
// is one, and the command `swrole exec` runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGuard } from '../../src/agent/guard/guard.js';
import { allCommands, optionsOf } from '../../src/registry/command-registry.js';

const ALLOWED = ['dev-ro', 'staging'];
const decide = (command: string) => decideGuard({ tool_name: 'Bash', tool_input: { command } }, ALLOWED);

test('every registered command that takes a profile: another profile is denied, a granted one allowed', () => {
  const checked: string[] = [];
  for (const { path, spec } of allCommands()) {
    if (spec.operand !== 'profile' && spec.operand !== 'profiles') continue;
    checked.push(path);
    if (spec.humanOnly) {
      // The user's own commands are denied whatever they name: an agent must not grant, log in or edit config.
      for (const profile of ['prod', 'dev-ro']) {
        const verdict = decide(`swrole ${path} ${profile}`);
        assert.equal(verdict.decision, 'deny', `swrole ${path} ${profile}`);
        assert.match(verdict.decision === 'deny' ? verdict.reason : '', /is for the user, in their own terminal/);
      }
      continue;
    }
    const other = decide(`swrole ${path} prod`);
    assert.equal(other.decision, 'deny', `swrole ${path} prod`);
    assert.match(other.decision === 'deny' ? other.reason : '', new RegExp(`profile "prod" \\(swrole ${path}\\)`));
    assert.equal(decide(`swrole ${path} dev-ro`).decision, 'allow', `swrole ${path} dev-ro`);
  }
  // The ones the guard missed before: explain, setup, logout, agent claude, agent env.
  for (const path of ['exec', 'env', 'process', 'use', 'login', 'whoami', 'explain', 'setup', 'logout', 'agent claude', 'agent env']) {
    assert.ok(checked.includes(path), path);
  }
});

test('every option whose value is a profile, in both spellings', () => {
  let options = 0;
  for (const { path, spec } of allCommands()) {
    for (const [name, option] of Object.entries(optionsOf(spec))) {
      if (option.profile !== true || spec.humanOnly) continue;
      options++;
      const operand = spec.operand === 'profiles' ? ' dev-ro' : '';
      assert.equal(decide(`swrole ${path}${operand} --${name} prod`).decision, 'deny', `swrole ${path} --${name} prod`);
      assert.equal(decide(`swrole ${path}${operand} --${name}=prod`).decision, 'deny', `swrole ${path} --${name}=prod`);
      assert.equal(decide(`swrole ${path}${operand} --${name} staging`).decision, 'allow', `swrole ${path} --${name} staging`);
    }
  }
  assert.ok(options >= 5, `${options} profile options`);
});

// [command line, decision, a fragment of the reason]
const CASES: Array<[string, 'allow' | 'deny', string?]> = [
  // an option's value is not the profile, and the profile behind an option is not missed
  ['swrole exec --region us-east-1 dev-ro -- aws s3 ls', 'allow'],
  ['swrole exec --region us-east-1 prod -- aws s3 ls', 'deny', 'profile "prod" (swrole exec)'],
  ['swrole exec --profile prod -- aws s3 ls', 'deny', 'swrole exec --profile'],
  ['swrole process --profile=prod', 'deny', 'swrole process --profile'],
  ['swrole exec dev-ro --profile prod -- true', 'deny', 'prod'],
  // the command swrole exec runs is checked like any other
  ['swrole exec dev-ro -- aws s3 ls --profile prod', 'deny', 'aws --profile'],
  ['swrole exec dev-ro aws s3 ls --profile prod', 'deny', 'aws --profile'],
  ['swrole exec dev-ro -- bash -c "aws s3 ls --profile prod"', 'deny', 'prod'],
  ['swrole exec dev-ro -- env AWS_PROFILE=prod aws s3 ls', 'deny', 'AWS_PROFILE='],
  ['swrole exec dev-ro -- swrole exec prod -- true', 'deny', 'prod'],
  ['swrole exec dev-ro -- aws s3 ls --profile staging', 'allow'],
  // the child's words are not swrole's: `--profile` after the command is the command's business
  ['swrole exec dev-ro -- ./deploy --profile prod', 'allow'],
  ['swrole exec "$P" -- true', 'deny', 'variable'],
  // the user's own commands: re-granting, logging in, editing config
  ['swrole agent claude dev-ro staging --read-only', 'deny', '`swrole agent claude` is for the user'],
  ['swrole agent claude dev-ro --default prod', 'deny', '`swrole agent claude` is for the user'],
  ['swrole agent env prod --format dotenv', 'deny', '`swrole agent env` is for the user'],
  ['swrole login dev-ro', 'deny', '`swrole login` is for the user'],
  ['swrole logout --all', 'deny', '`swrole logout` is for the user'],
  ['swrole agent statusline', 'allow'],
  ['swrole agent guard --allow prod', 'allow'],
  ['swrole help exec', 'allow'],
  ['swrole list --json', 'allow'],
  ['swrole shell-init bash', 'allow'],
  ['swrole frobnicate prod', 'allow'],
  ['swrole', 'allow'],
];

for (const [command, expected, fragment] of CASES) {
  test(`guard: ${command} → ${expected}`, () => {
    const result = decide(command);
    assert.equal(result.decision, expected, JSON.stringify(result));
    if (result.decision === 'deny' && fragment) assert.ok(result.reason.includes(fragment), `"${result.reason}" lacks "${fragment}"`);
  });
}
