import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('lint: a wrong-way import fails (config → cli, agent → commands, credentials → agent, commands → cache/sts)', async () => {
  const wrong: Array<[string, string]> = [
    ['src/config/probe.ts', "import { COMMANDS } from '../cli/command-table.js';\nexport const x = COMMANDS;\n"],
    ['src/agent/view/probe.ts', "import { help } from '../../commands/login.js';\nexport const x = help;\n"],
    ['src/credentials/probe.ts', "import { viewEnv } from '../agent/view/agent-view-store.js';\nexport const x = viewEnv;\n"],
    ['src/commands/probe.ts', "import { MEMO_DIR } from '../cache/hit-memo.js';\nexport const x = MEMO_DIR;\n"],
    ['src/commands/agent/probe.ts', "import { withRetry } from '../../sts/with-retry.js';\nexport const x = withRetry;\n"],
    ['src/cache/probe.ts', "import { resolvePlan } from '../plan/resolve-plan.js';\nexport const x = resolvePlan;\n"],
    // The AWS SDK is reached through the gateways only, and depends on nothing of swrole's.
    ['src/credentials/probe.ts', "import { STSClient } from '../aws-sdk/sdk-clients.js';\nexport const x = STSClient;\n"],
    ['src/aws-sdk/probe.ts', "import { withRetry } from '../sts/with-retry.js';\nexport const x = withRetry;\n"],
  ];
  for (const [file, text] of wrong) {
    const errors = await layerErrors(file, text);
    assert.equal(errors.length, 1, `${file} should be refused: ${text}`);
    assert.match(errors[0]!, /may import only/);
  }
});

test('lint: the right-way imports pass', async () => {
  const right: Array<[string, string]> = [
    ['src/commands/probe.ts', "import { getCredentials } from '../credentials/get-credentials.js';\nexport const x = getCredentials;\n"],
    ['src/agent/view/probe.ts', "import { loadAwsConfig } from '../../config/load-aws-config.js';\nexport const x = loadAwsConfig;\n"],
    ['src/cli/probe.ts', "import { MEMO_DIR } from '../cache/hit-memo.js';\nexport const x = MEMO_DIR;\n"],
    ['src/sts/probe.ts', "import type * as AwsSdk from '../aws-sdk/sdk-clients.js';\nexport type X = typeof AwsSdk;\n"],
    ['src/sso/probe.ts', "export const load = () => import('../aws-sdk/sdk-clients.js');\n"],
  ];
  for (const [file, text] of right) assert.deepEqual(await layerErrors(file, text), [], file);
});

test('lint: every folder of src/ has a layer rule (an import of cli/ is refused everywhere but cli/)', async () => {
  const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'cli')
    .map((d) => d.name);
  assert.ok(folders.length >= 10, folders.join(' '));
  for (const folder of folders) {
    const errors = await layerErrors(`src/${folder}/probe.ts`, "import { x } from '../cli/main.js';\nexport const y = x;\n");
    assert.equal(errors.length, 1, `src/${folder}/ has no layer rule in eslint.config.js`);
  }
});
