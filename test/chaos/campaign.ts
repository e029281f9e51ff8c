// The kill -9 campaign (issue 15): real `dist/swrole.js` processes doing `process` (a cold role session: lock,
// STS, cache write), `login --force --mfa-code` (a new MFA session, then the role), `setup` / `setup --remove` on
// the user's ~/.aws/config, and `agent claude` / `--remove` on the project's settings, each SIGKILLed at a
// random moment of its lifetime (seeded: a failure replays). After every kill: the invariants (invariants.ts),
// then the next `process` is timed: a dead holder's lock must be taken over at once, never delaying a caller by
// more than 2 s. Sometimes an identical twin runs beside the victim, and sometimes the same command runs again
// after the kill: both must succeed without that delay. Every few kills, and at the end, swrole's own --remove
// must give back the exact original bytes.
import { checkInvariants, holdsCredentials, type Expectations, type UserFileStates, type Violation } from './invariants.js';
import { createChaosWorld, type ChaosWorld } from './chaos-world.js';
import { runSwroleKilled, type KillRun } from './kill-run.js';
import { createRng, workerSeed, type Rng } from './rng.js';
import { readFileSync, readdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

export type Family = 'process' | 'login' | 'setup' | 'agent claude';
export const FAMILIES: readonly Family[] = ['process', 'login', 'setup', 'agent claude'];

/** The next call after a kill may take at most this much longer than the same call without a dead lock. */
export const DELAY_BOUND_MS = 2000;

export interface CampaignOptions {
  /** SIGKILLs that must land in live processes, over all workers. */
  kills: number;
  /** Independent worlds (each with its own emulator) run side by side. */
  workers: number;
  seed: number;
  /** Hard stop: the campaign ends here even short of `kills` (the report says so). */
  budgetMs: number;
  /** Kills (per worker) between checkpoints where --remove must restore the exact original bytes. */
  checkpointEvery?: number;
  /**
   * A next call slower than this (against a baseline call) fails the campaign: DELAY_BOUND_MS, the issue's 2 s, for
   * `npm run chaos`; the short e2e run gives a hang bound instead (timings belong to the long campaign, not to tests).
   */
  delayBoundMs?: number;
  log?: (line: string) => void;
}

export interface TimedCall {
  what: string;
  /** The call's own duration. */
  ms: number;
  /** How much longer it took than a baseline call without a dead lock (measured only when ms > the bound). */
  delayMs: number;
  baselined: boolean;
}

export interface Failure extends Violation {
  worker: number;
  /** The command that was killed last, its planned delay and what came after. */
  context: string;
}

export interface CampaignReport {
  seed: number;
  workers: number;
  elapsedMs: number;
  stoppedBy: 'kills' | 'budget' | 'failure';
  kills: Record<Family, number>;
  runs: Record<Family, number>;
  /** A kill was planned but the process had exited already. */
  finishedFirst: number;
  /** Runs drawn not to be killed at all. */
  spared: number;
  /** Killed `agent claude` runs that left the settings naming a profile the view no longer grants (fail-closed). */
  staleViews: number;
  twins: number;
  checks: number;
  checkMs: number;
  filesChecked: number;
  /** Temp files and lock files of killed processes seen (allowed until the next writer or caller). */
  tempsSeen: number;
  locksSeen: number;
  failures: Failure[];
  nextCalls: TimedCall[];
  followUps: TimedCall[];
  checkpoints: number;
  /** At the end: swrole's own removal gave back every original byte, and `process` worked. */
  finalRestored: boolean;
  finalProcess: boolean;
  sts: Record<string, number>;
}

const SETUP_COMMANDS: readonly string[][] = [
  ['setup', 'a'],
  ['setup', 'ro'],
  ['setup', 'a', 'ro'],
  ['setup', 'a', '--remove'],
  ['setup', 'ro', '--remove'],
  ['setup', 'a', 'ro', '--remove'],
];
const AGENT_APPLY_A = ['agent', 'claude', 'a'];
const AGENT_APPLY_RO = ['agent', 'claude', 'ro', '--guard'];
const AGENT_REMOVE = ['agent', 'claude', '--remove'];
const AGENT_COMMANDS: readonly string[][] = [AGENT_APPLY_A, AGENT_APPLY_RO, AGENT_REMOVE];
/** Who the family's runs are: weights of the draw. */
const WEIGHTS: ReadonlyArray<[Family, number]> = [
  ['process', 0.3],
  ['login', 0.2],
  ['setup', 0.25],
  ['agent claude', 0.25],
];
const SPARE_RATE = 0.1;
const TWIN_RATE = 0.2;
const FOLLOW_UP_RATE = 0.5;
/** An MFA session lasts 36 h; the clock jumps an hour at a time only while one started within the last 30 h. */
const MFA_HOURS = 36;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

class CampaignFailure extends Error {}

interface WorkerContext {
  index: number;
  rng: Rng;
  world: ChaosWorld;
  report: CampaignReport;
  deadline: number;
  quota: number;
  checkpointEvery: number;
  delayBoundMs: number;
  log: (line: string) => void;
}

/** Reads a user's file as text (undefined: gone). */
function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const started = performance.now();
  const zero = () => Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  const report: CampaignReport = {
    seed: o.seed,
    workers: o.workers,
    elapsedMs: 0,
    stoppedBy: 'kills',
    kills: zero(),
    runs: zero(),
    finishedFirst: 0,
    spared: 0,
    staleViews: 0,
    twins: 0,
    checks: 0,
    checkMs: 0,
    filesChecked: 0,
    tempsSeen: 0,
    locksSeen: 0,
    failures: [],
    nextCalls: [],
    followUps: [],
    checkpoints: 0,
    finalRestored: true,
    finalProcess: true,
    sts: {},
  };
  const log = o.log ?? (() => undefined);
  const quota = Math.ceil(o.kills / o.workers);
  await Promise.all(
    Array.from({ length: o.workers }, async (_, index) => {
      const world = await createChaosWorld();
      try {
        await runWorker({
          index,
          rng: createRng(workerSeed(o.seed, index)),
          world,
          report,
          deadline: started + o.budgetMs,
          quota,
          checkpointEvery: o.checkpointEvery ?? 50,
          delayBoundMs: o.delayBoundMs ?? DELAY_BOUND_MS,
          log,
        });
      } catch (error) {
        if (!(error instanceof CampaignFailure)) throw error;
        report.stoppedBy = 'failure';
      } finally {
        for (const [action, n] of Object.entries(await world.emu.counts().catch(() => ({}) as Record<string, number>)))
          report.sts[action] = (report.sts[action] ?? 0) + n;
        world.close();
      }
    }),
  );
  report.elapsedMs = performance.now() - started;
  return report;
}

async function runWorker(c: WorkerContext): Promise<void> {
  const { world, rng, report } = c;
  const delayBound = c.delayBoundMs;
  const samples = new Map<Family, number[]>(FAMILIES.map((f) => [f, []]));
  const typical = (family: Family) => median(samples.get(family)!.slice(-15));
  const remember = (family: Family, run: KillRun) => {
    if (!run.killed && run.code === 0) samples.get(family)!.push(run.ms);
  };
  let lastCommand = 'calibration';
  const fail = (violations: Violation[], context = lastCommand): never => {
    for (const v of violations) report.failures.push({ ...v, worker: c.index, context });
    throw new CampaignFailure(violations.map((v) => `${v.path}: ${v.detail}`).join('; '));
  };
  const dir = ['--dir', world.project];
  const run = (args: string[], killAfterMs?: number) => runSwroleKilled(args, world.env(), killAfterMs);
  /** An uninterrupted run that must succeed. */
  const must = async (args: string[], family?: Family): Promise<KillRun> => {
    const result = await run(args);
    if (result.code !== 0) fail([{ kind: 'inconsistent', path: args.join(' '), detail: `exit ${result.code}: ${result.stderr.trim()}` }]);
    if (family) remember(family, result);
    return result;
  };

  // The MFA session everything else is assumed with (36 h, so the clock can move on by hours).
  let lastLoginAt = await world.emulatorNow();
  const login = async (killAfterMs?: number) => {
    const args = ['login', 'a', '--force', '--duration', `${MFA_HOURS}h`, '--mfa-code', await world.freshMfaCode()];
    const at = await world.emulatorNow();
    const result = await run(args, killAfterMs);
    if (result.code === 0) lastLoginAt = at;
    return result;
  };
  const first = await login();
  if (first.code !== 0) fail([{ kind: 'inconsistent', path: 'login', detail: first.stderr }]);
  remember('login', first);

  const x = await calibrate(world, (args, family) => must(args, family), dir);
  for (let i = 0; i < 2; i++) {
    remember('login', await login());
    await must(['process', 'nomfa', '--duration', String(900 + i)], 'process');
    await must(['process', 'ro', '--duration', String(900 + i)], 'process');
  }
  let nomfaDuration = 902;
  let roDuration = 902;

  /** The last `agent claude` to touch the project was killed (a twin beside it may have finished first). */
  let viewMayLag = false;
  let staleCountedAt = '';
  const check = (context: string) => {
    const t0 = performance.now();
    const result = checkInvariants(x);
    report.checkMs += performance.now() - t0;
    report.checks++;
    report.filesChecked += result.checked;
    report.tempsSeen += result.temps;
    report.locksSeen += result.locks;
    // After a killed `agent claude` (until the next whole one), a view behind the settings is counted, not failed.
    const stale = result.violations.filter((v) => v.kind === 'stale-view');
    if (viewMayLag && stale.length > 0 && staleCountedAt !== lastCommand) {
      staleCountedAt = lastCommand;
      report.staleViews++;
    }
    const violations = viewMayLag ? result.violations.filter((v) => v.kind !== 'stale-view') : result.violations;
    if (violations.length > 0) fail(violations, context);
  };
  check('after calibration');

  /**
   * What a call takes with nothing left behind by a kill, on this machine now: the median of 3 runs (one run on a
   * loaded 2-core machine varies by more than a second either way).
   */
  const baselineMs = async (call: () => Promise<KillRun>): Promise<number> => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) ms.push((await call()).ms);
    return median(ms);
  };
  /** Times `args` (a next call or a follow-up); over the bound, baseline calls say how much was delay. */
  const timed = async (args: string[], baseline: (first: KillRun) => Promise<string[]>, into: TimedCall[]) => {
    const result = await run(args);
    if (result.code !== 0) fail([{ kind: 'inconsistent', path: args.join(' '), detail: `exit ${result.code}: ${result.stderr.trim()}` }]);
    let delayMs = result.ms;
    let baselined = false;
    if (result.ms > delayBound) {
      delayMs = result.ms - (await baselineMs(async () => run(await baseline(result))));
      baselined = true;
    }
    into.push({ what: args[0] === 'login' ? 'login' : args.join(' '), ms: result.ms, delayMs, baselined });
    if (delayMs > delayBound) {
      fail([
        {
          kind: 'inconsistent',
          path: args.join(' '),
          detail: `delayed ${Math.round(delayMs)} ms (took ${Math.round(result.ms)} ms) after ${lastCommand}`,
        },
      ]);
    }
    return result;
  };
  const stsCalls = async () => {
    const counts = await world.emu.counts();
    return (counts.AssumeRole ?? 0) + (counts.GetSessionToken ?? 0);
  };
  /** The next `process` after a kill: a miss is compared with a cold miss without any lock, a hit with a hit. */
  const nextProcess = async (args: string[]) => {
    const before = await stsCalls();
    await timed(
      args,
      async () => ((await stsCalls()) > before ? ['process', 'nomfa', '--duration', String(++nomfaDuration)] : args),
      report.nextCalls,
    );
  };

  let kills = 0;
  let sinceCheckpoint = 0;
  for (let iteration = 0; kills < c.quota; iteration++) {
    if (performance.now() > c.deadline) {
      report.stoppedBy = 'budget';
      break;
    }
    const family = drawFamily(rng);
    let args: string[];
    let next: string[] = ['process', 'a'];
    if (family === 'process') {
      const profile = rng.chance(0.5) ? 'nomfa' : 'ro';
      const duration = profile === 'nomfa' ? ++nomfaDuration : ++roDuration;
      args = ['process', profile, '--duration', String(duration)];
      next = args;
    } else if (family === 'setup') args = rng.pick(SETUP_COMMANDS);
    else if (family === 'agent claude') args = [...rng.pick(AGENT_COMMANDS), ...dir];
    else args = [];
    const killAfterMs = rng.chance(SPARE_RATE) ? undefined : Math.round(rng.between(0, 1.2 * typical(family)));
    const twin = family !== 'login' && rng.chance(TWIN_RATE);
    const followUp = family !== 'process' && rng.chance(FOLLOW_UP_RATE);
    // Drawn every time, used or not: what a run's timing decides never shifts the later draws of a replay.
    const followUpArgs = family === 'setup' ? rng.pick(SETUP_COMMANDS) : [...rng.pick(AGENT_COMMANDS), ...dir];
    const bigStep = rng.chance(0.5);

    let victim: KillRun;
    let twinRun: KillRun | undefined;
    if (family === 'login') {
      // An hour on (role sessions go stale: the login's role step misses too), while the MFA session lasts.
      if (bigStep && (await world.emulatorNow()) - lastLoginAt < (MFA_HOURS - 6) * 3600_000) await world.advance(3600);
      victim = await login(killAfterMs);
      args = victim.args;
    } else if (twin) {
      [victim, twinRun] = await Promise.all([run(args, killAfterMs), run(args)]);
    } else victim = await run(args, killAfterMs);
    const shown = args.map((a, i) => (args[i - 1] === '--mfa-code' ? '******' : a === world.project ? 'PROJECT' : a)).join(' ');
    lastCommand = `swrole ${shown}${killAfterMs === undefined ? ' (not killed)' : ` killed at ${killAfterMs} ms`}${twin ? ' with a twin' : ''} [iteration ${iteration}]`;
    report.runs[family]++;
    if (killAfterMs === undefined) report.spared++;
    if (victim.killed) {
      kills++;
      sinceCheckpoint++;
      report.kills[family]++;
    } else {
      if (killAfterMs !== undefined) report.finishedFirst++;
      if (victim.code !== 0) fail([{ kind: 'inconsistent', path: shown, detail: `exit ${victim.code}: ${victim.stderr.trim()}` }]);
      remember(family, victim);
    }
    if (family === 'agent claude') viewMayLag = victim.killed;
    check(lastCommand);
    if (twinRun !== undefined) {
      report.twins++;
      if (twinRun.code !== 0)
        fail([{ kind: 'inconsistent', path: `twin of ${shown}`, detail: `exit ${twinRun.code}: ${twinRun.stderr.trim()}` }]);
      // The twin may have waited for the victim's lock; after the victim's end it must not wait more than the bound.
      let delayMs = twinRun.ms - victim.ms;
      let baselined = false;
      if (delayMs > delayBound) {
        delayMs -= await baselineMs(() => run(args));
        baselined = true;
      }
      report.followUps.push({ what: `twin: ${args[0]}`, ms: twinRun.ms, delayMs, baselined });
      if (delayMs > delayBound) fail([{ kind: 'inconsistent', path: `twin of ${shown}`, detail: `delayed ${Math.round(delayMs)} ms` }]);
    }

    if (victim.killed) {
      await nextProcess(next);
      check(`after the next call following ${lastCommand}`);
      if (followUp) {
        // The same kind of command again, uninterrupted: it must take over the dead editor's (or login's) lock at once.
        if (family === 'login') {
          const result = await login();
          if (result.code !== 0) fail([{ kind: 'inconsistent', path: 'login', detail: result.stderr.trim() }]);
          let delayMs = result.ms;
          let baselined = false;
          if (result.ms > delayBound) {
            delayMs = result.ms - (await baselineMs(() => login()));
            baselined = true;
          }
          report.followUps.push({ what: 'login', ms: result.ms, delayMs, baselined });
          if (delayMs > delayBound) fail([{ kind: 'inconsistent', path: 'login', detail: `delayed ${Math.round(delayMs)} ms` }]);
        } else {
          await timed(followUpArgs, async () => followUpArgs, report.followUps);
          if (family === 'agent claude') viewMayLag = false;
        }
        check(`after a follow-up of ${lastCommand}`);
      }
    }

    if (sinceCheckpoint >= c.checkpointEvery) {
      sinceCheckpoint = 0;
      await restoreAndCompare(world, must, dir, (v) => fail(v, `checkpoint after ${lastCommand}`));
      viewMayLag = false;
      // A logout removes every temp file a killed session writer left (they hold whole sessions).
      await must(['logout', 'other-a']);
      const leftovers = credentialFiles(world.stateRoots, { tempOnly: true });
      if (leftovers.length > 0)
        fail(leftovers.map((path) => ({ kind: 'stale-temp' as const, path, detail: 'a temp file holding credentials survived a logout' })));
      report.checkpoints++;
      check(`checkpoint after ${lastCommand}`);
    }
    if (kills > 0 && kills % 50 === 0 && victim.killed) {
      const k = FAMILIES.map((f) => `${f} ${report.kills[f]}`).join(', ');
      c.log(`chaos[w${c.index}]: ${kills} kills (all workers: ${k})`);
    }
  }

  // The end: swrole's own removal gives back the exact bytes, and credentials are still handed out.
  lastCommand = 'the final checks';
  try {
    await restoreAndCompare(world, must, dir, (v) => fail(v, 'final --remove'));
  } catch (error) {
    report.finalRestored = false;
    throw error;
  }
  for (const profile of ['a', 'ro', 'nomfa']) {
    const result = await run(['process', profile]);
    const json = (() => {
      try {
        return JSON.parse(result.stdout) as { Version?: number; AccessKeyId?: string };
      } catch {
        return undefined;
      }
    })();
    if (result.code !== 0 || json?.Version !== 1 || !json.AccessKeyId) {
      report.finalProcess = false;
      fail([{ kind: 'inconsistent', path: `process ${profile}`, detail: `exit ${result.code}: ${result.stderr.trim()}` }]);
    }
  }
  check('final');
  await must(['logout', '--all']);
  const left = credentialFiles(world.stateRoots, { tempOnly: false });
  if (left.length > 0) fail(left.map((path) => ({ kind: 'stale-temp' as const, path, detail: 'credentials survived `logout --all`' })));
}

function drawFamily(rng: Rng): Family {
  let r = rng.next();
  for (const [family, weight] of WEIGHTS) {
    if (r < weight) return family;
    r -= weight;
  }
  return WEIGHTS[WEIGHTS.length - 1]![0];
}

/** Files under `roots` that hold credentials (only temp files, or any). */
function credentialFiles(roots: readonly string[], o: { tempOnly: boolean }): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) visit(path);
      else if (stat?.isFile() && (!o.tempOnly || (name.startsWith('.') && name.endsWith('.tmp'))) && holdsCredentials(read(path) ?? ''))
        out.push(path);
    }
  };
  for (const root of roots) visit(root);
  return out;
}

/** swrole's own --remove must give back every original byte of the user's files. */
async function restoreAndCompare(
  world: ChaosWorld,
  must: (args: string[]) => Promise<KillRun>,
  dir: string[],
  fail: (v: Violation[]) => never,
): Promise<void> {
  await must([...AGENT_REMOVE, ...dir]);
  await must(['setup', 'a', 'ro', '--remove']);
  const violations: Violation[] = [];
  for (const file of [world.config, world.settings]) {
    const bytes = (() => {
      try {
        return readFileSync(file.path);
      } catch {
        return undefined;
      }
    })();
    if (bytes === undefined || !bytes.equals(file.bytes))
      violations.push({
        kind: 'user-bytes',
        path: file.path,
        detail: `--remove did not give back the original ${file.bytes.length} bytes`,
      });
  }
  if (violations.length > 0) fail(violations);
}

/**
 * Runs every command uninterrupted along walks that reach each state whole commands can leave the user's files
 * in; those states are the only legitimate ones during the campaign. Each walk ends back at the original bytes.
 */
async function calibrate(
  world: ChaosWorld,
  must: (args: string[], family: Family) => Promise<KillRun>,
  dir: string[],
): Promise<Expectations> {
  const states = (path: string, original: string): UserFileStates & { note(label: string): void } => {
    const map = new Map([['original', original]]);
    return {
      path,
      mode: lstatSync(path).mode & 0o777,
      states: map,
      note(label) {
        const text = read(path);
        if (text !== undefined && ![...map.values()].includes(text)) map.set(label, text);
      },
    };
  };
  const config = states(world.config.path, world.config.bytes.toString('utf8'));
  const configWalks = [
    [
      ['setup', 'a'],
      ['setup', 'ro'],
      ['setup', 'ro', '--remove'],
      ['setup', 'a', 'ro', '--remove'],
    ],
    [
      ['setup', 'a', 'ro'],
      ['setup', 'a', '--remove'],
      ['setup', 'a'],
      ['setup', 'a', '--remove'],
      ['setup', 'ro', '--remove'],
    ],
    [
      ['setup', 'ro'],
      ['setup', 'a', 'ro'],
      ['setup', 'ro', '--remove'],
      ['setup', 'a', '--remove'],
    ],
  ];
  for (const walk of configWalks) {
    const path: string[] = [];
    for (const args of walk) {
      await must(args, 'setup');
      path.push(args.slice(1).join(' '));
      config.note(path.join(' → '));
    }
    if (read(config.path) !== config.states.get('original'))
      throw new Error(`calibration: ${path.join(' → ')} did not restore ~/.aws/config`);
  }

  const settings = states(world.settings.path, world.settings.bytes.toString('utf8'));
  const exclude = states(world.exclude.path, world.exclude.bytes.toString('utf8'));
  const agentWalks = [
    [AGENT_APPLY_A, AGENT_APPLY_RO, AGENT_APPLY_A, AGENT_REMOVE],
    [AGENT_APPLY_RO, AGENT_APPLY_A, AGENT_APPLY_RO, AGENT_REMOVE],
  ];
  for (const walk of agentWalks) {
    const path: string[] = [];
    for (const args of walk) {
      await must([...args, ...dir], 'agent claude');
      path.push(args.slice(2).join(' ') || 'remove');
      settings.note(path.join(' → '));
      exclude.note('with swrole\u2019s entry');
    }
    if (read(settings.path) !== settings.states.get('original'))
      throw new Error(`calibration: ${path.join(' → ')} did not restore the Claude settings`);
  }
  return {
    stateRoots: world.stateRoots,
    userDirs: [join(world.home, '.aws'), join(world.project, '.claude')],
    config,
    settings,
    exclude,
    untouched: [{ path: world.credentials.path, bytes: world.credentials.bytes }],
  };
}
