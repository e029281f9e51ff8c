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
import { isEnvFormat, renderEnv, type EnvFormat } from '../output/render-env.js';
import { renderCredentialProcess } from '../output/credential-process-json.js';
import { appendAuditRecord, completeAuditRecord } from '../audit/audit-log.js';

/** Flags whose effect the memo cannot replay (debug output, help, prompts, no cache). */
const BYPASS = /^(?:--debug|--help|-h|--no-cache|--mfa-code(?:=.*)?|--force)$/;

/** `--format X`, `-f X`, `--format=X`; anything unusual → undefined (let the full parser judge it). */
function envFormat(args: readonly string[]): EnvFormat | undefined {
  let format = 'sh';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--format' || arg === '-f') format = args[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg.startsWith('-f')) return undefined;
  }
  return isEnvFormat(format) ? format : undefined;
}

interface Hit {
  memo: HitMemo;
  credentials: Credentials;
  stateDir: string;
}

function lookup(command: string, args: readonly string[], deps: Deps): Hit | undefined {
  if (args.some((a) => BYPASS.test(a))) return undefined;
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

export async function tryFastPath(argv: readonly string[], deps: Deps): Promise<number | undefined> {
  const [command, ...args] = argv;
  if (command === 'process' || command === 'env') {
    const format = command === 'env' ? envFormat(args) : undefined;
    if (command === 'env' && format === undefined) return undefined;
    const hit = lookup(command, args, deps);
    if (!hit) return undefined;
    audit(hit, deps);
    if (command === 'process') {
      deps.stdout.write(renderCredentialProcess(hit.credentials));
    } else {
      const vars = credentialEnv(hit.credentials, { region: hit.memo.region, profile: hit.memo.profile });
      deps.stdout.write(renderEnv(vars, envToUnset(vars), format!));
    }
    return 0;
  }
  if (command === 'exec') {
    const dashDash = args.indexOf('--');
    if (dashDash === -1 || dashDash === args.length - 1 || deps.env.SWROLE_PROFILE) return undefined; // nesting: full path explains
    const hit = lookup(command, args.slice(0, dashDash), deps);
    if (!hit) return undefined;
    audit(hit, deps);
    const { runWithCredentials } = await import('../exec/run-with-credentials.js');
    return runWithCredentials(deps.env, hit.credentials, hit.memo, args.slice(dashDash + 1));
  }
  return undefined;
}
