// `npm run chaos [-- --kills N --workers N --seed S --budget SECONDS]`: the kill -9 campaign of issue 15 against
// the built dist/swrole.js. Prints the seed first (a failure replays with --seed), then the report; exits 1 on
// any failure or when the budget ran out before the kills were done.
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../helpers/swrole-run.js';
import { formatReport, campaignPassed } from './report.js';
import { runCampaign } from './campaign.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '500' },
    workers: { type: 'string', default: '3' },
    seed: { type: 'string' },
    budget: { type: 'string', default: '600' },
  },
  strict: true,
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const kills = Number(values.kills);
const workers = Number(values.workers);
const budgetMs = Number(values.budget) * 1000;
for (const [name, n] of Object.entries({ seed, kills, workers, budgetMs })) {
  if (!Number.isInteger(n) || n < 0 || (name !== 'seed' && n === 0)) {
    process.stderr.write(`chaos: --${name === 'budgetMs' ? 'budget' : name} must be a positive integer\n`);
    process.exit(2);
  }
}

ensureBuilt();
console.log(`chaos: seed ${seed} (replay: npm run chaos -- --seed ${seed} --kills ${kills} --workers ${workers})`);
const report = await runCampaign({ kills, workers, seed, budgetMs, log: (line) => console.log(line) });
console.log(formatReport(report, kills));
process.exit(campaignPassed(report, kills) ? 0 : 1);
