import type { Deps } from '../platform/deps.js';
import { checkRoleDuration, type CredentialFlags } from './credential-options.js';
import { prepareRequest, type PreparedRequest } from '../credentials/prepare-request.js';
import { getCredentials, type CredentialResult, type Reporters } from '../credentials/get-credentials.js';
import type { CredentialRequest } from '../credentials/engine-options.js';
import { rememberHit } from '../credentials/remember-hit.js';
import { auditIssuance } from '../credentials/audit-issuance.js';
import { checkNoSession, readScopeFlags } from './scope-options.js';
import type { CommandSpec } from '../registry/command-registry.js';
import { fastPathAllows, type CommandLine } from '../registry/split-command-line.js';

export interface IssueOptions {
  command: 'process' | 'env' | 'exec';
  flags: CredentialFlags;
  /** The parsed flag values (scope flags: --read-only, --policy, --agent). */
  values: Parameters<typeof readScopeFlags>[0];
  allowPrompt: boolean;
  /** The command's own arguments, for the hit memo; undefined: do not memoise. */
  memoArgs: readonly string[] | undefined;
  reporters: Reporters & { warn: (message: string) => void };
}

/**
 * What the hit memo keys on: swrole's own arguments as the shared parser split them (so the fast path looks up
 * exactly what it will replay), and only when every option parseArgs found is one the fast path may replay:
 * an invocation it would refuse is not memoised at all.
 */
export function memoArgsOf(spec: CommandSpec, line: CommandLine, values: object): readonly string[] | undefined {
  return fastPathAllows(spec, Object.keys(values)) ? line.own : undefined;
}

/** What process, env and exec share: scope → plan → credentials (hit or STS) → audit line → hit memo. */
export async function issueCredentials(deps: Deps, o: IssueOptions): Promise<{ prepared: PreparedRequest; result: CredentialResult }> {
  const scope = readScopeFlags(o.values, deps.cwd);
  checkNoSession(o.command, o.flags.noSession, scope);
  const prepared = prepareRequest(deps, { ...o.flags, scope }, o.reporters.warn);
  checkRoleDuration(o.command, prepared.plan.steps.length > 1, o.flags.durationSeconds);
  const request: CredentialRequest = {
    durationSeconds: o.flags.durationSeconds,
    mfaCode: o.flags.mfaCode,
    noCache: o.flags.noCache,
    noSession: o.flags.noSession,
    allowPrompt: o.allowPrompt,
  };
  const result = await getCredentials(deps, prepared, request, o.reporters);
  if (!auditIssuance(deps, prepared, o.command, scope, result, o.reporters.warn))
    o.reporters.debug('audit: could not append to the audit log');
  if (o.memoArgs !== undefined) rememberHit(deps, o.command, o.memoArgs, prepared, request, scope, result);
  return { prepared, result };
}
