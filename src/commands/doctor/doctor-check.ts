/** One line of `swrole doctor`: the stable shape of `doctor --json` (an array of these). */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Which check: config-files, config, quoted-value, full-width, role-arn, profile, profile-selection, env-credentials, clock, state-dir, setup-paths, agent-paths, agent-project, proxy, ca-bundle. */
  check: string;
  status: CheckStatus;
  message: string;
  /** What to do about a warn or fail; null for ok. */
  fix: string | null;
}

export const ok = (check: string, message: string): CheckResult => ({ check, status: 'ok', message, fix: null });
export const warn = (check: string, message: string, fix: string): CheckResult => ({ check, status: 'warn', message, fix });
export const fail = (check: string, message: string, fix: string): CheckResult => ({ check, status: 'fail', message, fix });

/** PURE: the report for people: one line per result, its fix indented below. */
export function renderDoctorReport(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.status.padEnd(4)}  ${r.check}: ${r.message}\n${r.fix === null ? '' : `      fix: ${r.fix}\n`}`).join('');
}
