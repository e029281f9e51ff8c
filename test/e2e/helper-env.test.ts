// A helper swrole runs for a granted profile's source (its credential_process) sees the user's config files, not
// the agent view's, and no AWS_PROFILE / AWS_DEFAULT_PROFILE (issue 9 §3): here the helper is itself
// `swrole process base`, run from inside an agent view, as a user with keys behind another tool would have it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { ACCOUNT_A, ROLE_NO_MFA_ARN } from '../helpers/emulator-world.js';
import { DIST, runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { runDetached } from '../helpers/run-detached.js';
import { shlexSplit } from '../../src/config/shlex-split.js';

let emu: EmulatorHandle;
let box: Sandbox;
let dump: string;

const env = () => ({ ...box.env, USER: 'jane', SWROLE_NOW_OFFSET_MS: String(Math.round(emu.now() - Date.now())) });

useEmulatorSandbox((fixture) => {
  ({ emu, box } = fixture);
  dump = join(box.dir, 'helper-env.txt');
  const helper = `env > '${dump}'; exec '${process.execPath}' '${DIST}' process base`;
  writeFileSync(
    box.configFile,
    `[profile base]
region = us-east-1

[profile procsrc]
credential_process = /bin/sh -c "${helper}"
region = us-east-1

[profile proc-agent]
role_arn = ${ROLE_NO_MFA_ARN}
source_profile = procsrc
region = us-east-1
`,
  );
});

describe('credential_process helpers run with the user’s files (e2e)', () => {
  it('from inside an agent view, `swrole process OTHER` as the source helper gets the user’s files and no AWS_PROFILE', async () => {
    const grant = await runSwrole(['agent', 'env', 'proc-agent', '--agent', 'ci', '--format', 'json'], env());
    assert.equal(grant.code, 0, grant.stderr);
    const vars = JSON.parse(grant.stdout) as Record<string, string>;
    // The agent's shell: the view's files, its profile, and AWS_DEFAULT_PROFILE as Claude Code settings set it.
    const agentEnv = { ...env(), ...vars, AWS_DEFAULT_PROFILE: 'proc-agent' };
    const line = /^credential_process = (.*)$/m.exec(readFileSync(vars.AWS_CONFIG_FILE!, 'utf8'))![1]!;
    const [file, ...args] = shlexSplit(line)!;
    const r = await runDetached(file!, args, agentEnv, '', 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match((JSON.parse(r.stdout) as { AccessKeyId: string }).AccessKeyId, /^ASIA/);

    const seen = Object.fromEntries(
      readFileSync(dump, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(seen.AWS_CONFIG_FILE, box.configFile, 'the config swrole read (--source-config), not the view');
    assert.equal(seen.AWS_SHARED_CREDENTIALS_FILE, box.credentialsFile, 'the credentials swrole read, not the empty one');
    assert.equal(seen.AWS_PROFILE, undefined);
    assert.equal(seen.AWS_DEFAULT_PROFILE, undefined);

    const cli = await runDetached('aws', ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], agentEnv, '', 60_000);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT_A}:assumed-role/RoleNoMfa/swrole-jane-ci$`));
    // The helper's long-term keys became a GetSessionToken session before the role was assumed with it.
    const actions = emu.calls().map((c) => `${c.action}:${c.code}`);
    assert.deepEqual(actions.slice(0, 2), ['GetSessionToken:OK', 'AssumeRole:OK']);
  });
});
