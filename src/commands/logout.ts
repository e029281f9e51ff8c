import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from './command.js';
import { MEMO_DIR } from '../cache/hit-memo.js';
import { parseOptions, usageError } from './parse-options.js';
import { createReporters, resolveProfileArg } from './credential-options.js';
import { preparePlan } from '../credentials/prepare-request.js';
import { openSessionStore } from '../cache/open-session-store.js';

export const help = `Usage: swrole logout [PROFILE | --all]

Remove cached sessions: for PROFILE, its role sessions and the MFA session of its source identity
(which every role behind that identity shares); with --all, every session swrole has cached. Either form
also removes the temp files that writers killed mid-write left in the cache.

Options:
  --all                 remove every cached session
  --profile NAME        same as PROFILE
  --source-config FILE  read this AWS config file instead of ~/.aws/config

Examples:
  swrole logout prod
  swrole logout --all
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('logout', args, {
    all: { type: 'boolean' },
    profile: { type: 'string' },
    'source-config': { type: 'string' },
  });
  if (positionals.length > 1) throw usageError('logout', `unexpected argument "${positionals[1]}"`);
  const profile = resolveProfileArg('logout', positionals[0], values.profile);
  const reporters = createReporters(deps, values.debug === true);
  if (values.all === true) {
    if (profile !== undefined) throw usageError('logout', 'give either PROFILE or --all, not both');
    const { store, stateDir } = openSessionStore(deps, reporters.warn);
    const removed = store.clear();
    // Hit memos only point at sessions; with every session gone they are dead weight.
    rmSync(join(stateDir, MEMO_DIR), { recursive: true, force: true });
    deps.stderr.write(`swrole: removed ${removed} cached session(s) from ${stateDir}\n`);
    return 0;
  }
  // Only the plan is needed (which profiles' sessions to drop), not the STS endpoint: a profile that cannot
  // reach STS any more (say its region was removed) can still be logged out.
  const { plan } = preparePlan(deps, { profile, sourceConfig: values['source-config'] });
  const { store } = openSessionStore(deps, reporters.warn);
  const names = new Set(plan.steps.map((step) => step.profile));
  let removed = 0;
  for (const { key, session } of store.list()) {
    if (!names.has(session.profile)) continue;
    store.remove(key);
    removed++;
  }
  // Temp files of killed writers hold whole sessions (MFA ones too) and cannot be told apart by profile cheaply:
  // a logout removes them all, as --all does.
  store.clearTempFiles();
  deps.stderr.write(`swrole: removed ${removed} cached session(s) for profile "${plan.profile}" (${[...names].join(' → ')})\n`);
  return 0;
}
