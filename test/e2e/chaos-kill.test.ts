// Issue 15: the short kill -9 campaign the e2e suite runs (the long one is `npm run chaos`, 500 kills). Up to
// 25 randomly timed SIGKILLs of `process`, `login`, `setup` and `agent claude` in a temp world, bounded to about
// 25 s (the suite's share: it keeps one core busy while it runs); on a loaded machine fewer kills land, never a
// failure for that. What must hold is what the long campaign demands: no corrupt file, no lost user byte, no next
// call stuck behind a killed writer's lock, and swrole's own --remove gives back the original bytes. The 2 s delay
// bound is `npm run chaos`'s (timings are not the tests'): here a next call fails only past a hang bound. The seed
// is printed; CHAOS_SEED=N replays a failure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt } from '../helpers/swrole-run.js';
import { runCampaign } from '../chaos/campaign.js';
import { formatReport, totalKills } from '../chaos/report.js';

const KILLS = 25;
const BUDGET_MS = 25_000;
/**
 * The campaign ran at all. The full e2e suite on a loaded 2-core machine left room for only 7 kills in a minute (60
 * in 46 s alone), so the count itself is not asserted: the 500 kills are `npm run chaos`.
 */
const MIN_KILLS = 1;
/** A next call this much slower than a baseline call is stuck, not slow (the 2 s budget is `npm run chaos`'s). */
const HANG_BOUND_MS = 15_000;

describe('kill -9 campaign, short (e2e)', () => {
  it(`up to ${KILLS} randomly timed kills in about 25 s leave no corrupt file, no lost user byte and no stuck next call`, async (t) => {
    ensureBuilt();
    const seed = process.env.CHAOS_SEED !== undefined ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
    t.diagnostic(`chaos seed ${seed} (replay: CHAOS_SEED=${seed})`);
    const report = await runCampaign({
      kills: KILLS,
      workers: 1,
      seed,
      budgetMs: BUDGET_MS,
      checkpointEvery: 10,
      delayBoundMs: HANG_BOUND_MS,
    });
    const text = formatReport(report, KILLS);
    for (const line of text.split('\n')) t.diagnostic(line);
    assert.deepEqual(
      report.failures.map((f) => `${f.kind}: ${f.path}: ${f.detail} (after ${f.context})`),
      [],
      text,
    );
    assert.notEqual(report.stoppedBy, 'failure', text);
    assert.ok(report.finalRestored, `--remove did not give back the original bytes\n${text}`);
    assert.ok(report.finalProcess, `process failed after the campaign\n${text}`);
    assert.ok(totalKills(report) >= MIN_KILLS, `only ${totalKills(report)} kills landed\n${text}`);
    assert.ok(report.nextCalls.length >= totalKills(report), `every kill is followed by a timed next call\n${text}`);
  });
});
