import { DELAY_BOUND_MS, FAMILIES, percentile, type CampaignReport, type TimedCall } from './campaign.js';

export function totalKills(r: CampaignReport): number {
  return FAMILIES.reduce((sum, f) => sum + r.kills[f], 0);
}

/** Every kill landed, nothing failed, the end restored the user's bytes and `process` still works. */
export function campaignPassed(r: CampaignReport, kills: number): boolean {
  return r.failures.length === 0 && totalKills(r) >= kills && r.finalRestored && r.finalProcess && r.stoppedBy === 'kills';
}

function timing(calls: readonly TimedCall[]): string {
  if (calls.length === 0) return 'none';
  const ms = calls.map((c) => c.ms);
  const delays = calls.map((c) => c.delayMs);
  const baselined = calls.filter((c) => c.baselined).length;
  return (
    `${calls.length} calls: took p50 ${Math.round(percentile(ms, 50))} ms, p95 ${Math.round(percentile(ms, 95))} ms, max ${Math.round(Math.max(...ms))} ms; ` +
    `${baselined} over ${DELAY_BOUND_MS} ms compared with a baseline call, worst delay ${Math.round(Math.max(...delays))} ms (bound ${DELAY_BOUND_MS} ms; a call under the bound counts whole as delay)`
  );
}

export function formatReport(r: CampaignReport, target: number): string {
  const kills = totalKills(r);
  const lines = [
    `chaos: seed ${r.seed}, ${r.workers} worker(s), ${(r.elapsedMs / 1000).toFixed(1)} s, stopped: ${r.stoppedBy === 'kills' ? `all ${target} kills done` : r.stoppedBy}`,
    `  kills: ${kills} (${FAMILIES.map((f) => `${f} ${r.kills[f]}`).join(', ')})`,
    `  runs: ${FAMILIES.map((f) => `${f} ${r.runs[f]}`).join(', ')}; ${r.spared} not killed by draw, ${r.finishedFirst} finished before their kill, ${r.twins} with a twin`,
    `  invariant checks: ${r.checks} (${r.filesChecked} file looks, ${(r.checkMs / 1000).toFixed(1)} s), ${r.checkpoints} checkpoints restoring the original bytes; killed writers' temp files seen ${r.tempsSeen}, locks ${r.locksSeen}`,
    `  corrupt files: ${r.failures.filter((f) => f.kind === 'corrupt').length}, lost user bytes: ${r.failures.filter((f) => f.kind === 'user-bytes').length}, other failures: ${r.failures.filter((f) => f.kind !== 'corrupt' && f.kind !== 'user-bytes').length}`,
    `  agent claude kills that left the settings naming a profile the view no longer grants (fail-closed until the next agent claude): ${r.staleViews}`,
    `  next process after a kill: ${timing(r.nextCalls)}`,
    `  twins and follow-ups: ${timing(r.followUps)}`,
    `  end: original bytes restored ${r.finalRestored ? 'yes' : 'NO'}, process works ${r.finalProcess ? 'yes' : 'NO'}; STS calls ${Object.entries(
      r.sts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  for (const f of r.failures) lines.push(`  FAILED [w${f.worker}] ${f.kind}: ${f.path}: ${f.detail}\n    after: ${f.context}`);
  return lines.join('\n');
}
