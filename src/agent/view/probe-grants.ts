import type { Deps } from '../../platform/deps.js';
import { isSwroleError } from '../../errors.js';
import type { AgentScope } from '../../credentials/agent-scope.js';
import { prepareRequest } from '../../credentials/prepare-request.js';
import { getCredentials } from '../../credentials/get-credentials.js';
import { auditIssuance } from '../../credentials/audit-issuance.js';

export interface GrantProbe {
  profile: string;
  /** ready: the agent's first call is answered (now cached); needs-login: a human must run `swrole login` first. */
  outcome: 'ready' | 'needs-login';
  expiration?: string | undefined;
}

/**
 * Obtain first, edit second: issue each granted profile's session now, exactly as the agent's credential_process
 * will (same scope, never a prompt), so a grant that cannot work fails before anything is written, and the
 * agent's first call finds the session cached. A profile that needs an MFA code nobody has given yet is not a
 * failure: the human runs `swrole login` before the agent needs it.
 */
export async function probeGrants(
  deps: Deps,
  request: { command: string; profiles: readonly string[]; scope: AgentScope; durationSeconds: number | undefined },
  reporters: { notice: (m: string) => void; warn: (m: string) => void; debug: (m: string) => void },
): Promise<GrantProbe[]> {
  const probes: GrantProbe[] = [];
  for (const profile of request.profiles) {
    const prepared = prepareRequest(deps, { profile, scope: request.scope }, reporters.warn);
    try {
      const result = await getCredentials(deps, prepared, { durationSeconds: request.durationSeconds, allowPrompt: false }, reporters);
      auditIssuance(deps, prepared, `${request.command} (check)`, request.scope, result);
      probes.push({ profile, outcome: 'ready', expiration: result.credentials.expiration });
    } catch (error) {
      if (isSwroleError(error) && error.code === 'E_MFA_REQUIRED') probes.push({ profile, outcome: 'needs-login' });
      else throw error;
    }
  }
  return probes;
}
