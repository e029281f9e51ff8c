// A separate process running the real Claude settings editor, for test/integration/claude-settings-concurrency.test.ts
// (bundled by bundleHelper, run without tsx). Arguments: PROJECT STATE_DIR MODE [KEY VALUE].
//   one KEY VALUE  says ready, waits for PROJECT/go (bounded), then applies KEY=VALUE once;
//   loop           says ready, then applies and removes AWS_PROFILE=agent until killed (bounded by a count).
import { existsSync } from 'node:fs';
import { createClaudeSettingsEditor } from '../../src/agent/claude/edit-claude-settings.js';

const [project, stateDir, mode, key, value] = process.argv.slice(2) as [string, string, string, string?, string?];
const user = process.platform === 'win32' ? undefined : { uid: process.geteuid!(), gid: process.getegid!() };
const editor = createClaudeSettingsEditor({
  now: Date.now,
  warn: () => {},
  stateDir,
  platform: process.platform,
  user,
  pid: process.pid,
  command: 'driver',
});
process.stdout.write('ready\n');
if (mode === 'one') {
  const deadline = Date.now() + 30_000;
  while (!existsSync(`${project}/go`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await editor.edit(project, { kind: 'apply', vars: { [key!]: value! } });
} else {
  for (let i = 0; i < 100_000; i++) {
    await editor.edit(project, i % 2 === 0 ? { kind: 'apply', vars: { AWS_PROFILE: 'agent' } } : { kind: 'remove' });
  }
}
