import type { GrantProbe } from '../../agent/view/probe-grants.js';
import { formatRemaining } from '../credential-options.js';

/** PURE: one line per granted profile after the test issuance of `agent claude` / `agent env`. */
export function renderProbe(probe: GrantProbe, nowMs: number): string {
  return probe.outcome === 'ready'
    ? `${probe.profile} ready${probe.expiration ? ` (${formatRemaining(probe.expiration, nowMs)} left, renewed by itself)` : ''}`
    : `${probe.profile}: no MFA session yet — the agent's first AWS call fails until you run \`swrole login ${probe.profile}\` in your terminal`;
}
