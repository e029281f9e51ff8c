/**
 * The cache-hit fast path for `process`, `env` and `exec`: answered from the hit memo (src/cache/hit-memo.ts)
 * before any command module, config parser or plan resolver is loaded. Returns undefined whenever anything is
 * not exactly as memoised (then the full path runs and answers, and refreshes the memo). Output is produced by
 * the same renderers as the full path, so the two cannot drift apart.
 */
import { join } from 'node:path';
import type { Deps } from '../platform/deps.js';
import { MEMO_DIR, filesUnchanged, memoKey, readMemo, type HitMemo } from '../cache/hit-memo.js';
import { openTrustedCache } from '../cache/open-session-store.js';
import { resolveSwroleDirs } from '../platform/resolve-state-dir.js';
import { isTrustedAsIs } from '../platform/trusted-dir.js';
import type { Credentials } from '../domain/credentials.js';
import { credentialEnv, envToUnset } from '../output/env-vars.js';
import { SHELL_FORMATS, isEnvFormat, renderEnv } from '../output/render-env.js';
import { renderCredentialProcess } from '../output/credential-process-json.js';
import { appendAuditRecord, completeAuditRecord } from '../audit/audit-log.js';
import { findCommand, type FastPathCommand } from '../registry/command-registry.js';
import { isReplayable, splitCommandLine, type CommandLine } from '../registry/split-command-line.js';

interface Hit {
  memo: HitMemo;
  credentials: Credentials;
  stateDir: string;
}

function lookup(command: string, args: readonly string[], deps: Deps): Hit | undefined {
  // Every directory read or written below is checked first, one lstat each; anything not exactly right (also a
  // state dir not created yet: the full path adopts the old layout first) is left to the full path, which
  // repairs, warns or refuses (src/platform/trusted-dir.ts).
  const { cacheDir, stateDir } = resolveSwroleDirs(deps.env, deps.homedir, deps.platform);
  const cache = openTrustedCache(deps, cacheDir);
  if (cache === undefined || (stateDir !== cacheDir && !isTrustedAsIs(stateDir, deps))) return undefined;
  const memo = readMemo(join(cache.cacheDir, MEMO_DIR), memoKey(command, args, deps.env, deps.cwd));
  if (memo === undefined || !filesUnchanged(memo.files)) return undefined;
  const session = cache.store.read(memo.sessionKey);
  return session === undefined ? undefined : { memo, credentials: session.credentials, stateDir };
}

function audit(hit: Hit, deps: Deps): void {
  appendAuditRecord(hit.stateDir, completeAuditRecord(hit.memo.audit, deps, true));
}

/** The last value of a string option (parseArgs keeps the last one too). */
const lastValue = (line: CommandLine, name: string): string | undefined => line.options.filter((o) => o.name === name).at(-1)?.value;

/** One answer per command the registry marks `fastPath` (a new one fails the type check until it has an answer here). */
const ANSWERS: Record<FastPathCommand, (line: CommandLine, deps: Deps) => Promise<number | undefined> | number | undefined> = {
  process(line, deps) {
    const hit = lookup('process', line.own, deps);
    if (!hit) return undefined;
    audit(hit, deps);
    deps.stdout.write(renderCredentialProcess(hit.credentials));
    return 0;
  },
  env(line, deps) {
    const format = lastValue(line, 'format') ?? 'sh';
    const namesComment = line.options.some((o) => o.name === 'names-comment');
    if (!isEnvFormat(format) || (namesComment && !SHELL_FORMATS.includes(format))) return undefined;
    const hit = lookup('env', line.own, deps);
    if (!hit) return undefined;
    audit(hit, deps);
    const vars = credentialEnv(hit.credentials, { region: hit.memo.region, profile: hit.memo.profile });
    deps.stdout.write(renderEnv(vars, envToUnset(vars), format, { namesComment }));
    return 0;
  },
  async exec(line, deps) {
    if (line.child.length === 0 || deps.env.SWROLE_PROFILE) return undefined; // nesting: the full path explains
    const hit = lookup('exec', line.own, deps);
    if (!hit) return undefined;
    audit(hit, deps);
    const { runWithCredentials } = await import('../exec/run-with-credentials.js');
    return runWithCredentials(deps.env, hit.credentials, hit.memo, line.child);
  },
};

/**
 * `env`/`exec` naming no profile (no argument, no --profile, no AWS_PROFILE / AWS_DEFAULT_PROFILE) open the
 * profile picker on a terminal (src/commands/pick-profile.ts): a memo written without a terminal (the default
 * profile) must not answer there. Only such invocations pay for the look (a few fstat calls and /dev/tty).
 */
function picksProfile(line: CommandLine, deps: Deps): boolean {
  if (line.positionals.length > 0 || line.options.some((o) => o.name === 'profile')) return false;
  if (deps.env.AWS_PROFILE || deps.env.AWS_DEFAULT_PROFILE) return false;
  return deps.mayPick === true;
}

/**
 * The command's arguments go through the same split as the full path (src/registry/split-command-line.ts), and
 * only an invocation whose every option the registry marks `fastPath` is looked up (an allow-list: a new flag
 * takes the full path until someone decides the memo can replay it). The memo is keyed on swrole's own
 * arguments as that split sees them, which is what the full path memoised.
 */
export async function tryFastPath(argv: readonly string[], deps: Deps): Promise<number | undefined> {
  const [command, ...args] = argv;
  const spec = command === undefined ? undefined : findCommand(command);
  if (spec === undefined || spec.fastPath !== true) return undefined;
  const line = splitCommandLine(spec, args);
  if (!isReplayable(spec, line)) return undefined;
  if (command !== 'process' && picksProfile(line, deps)) return undefined;
  return ANSWERS[command as FastPathCommand](line, deps);
}
