/**
 * The autoscaler's decisions on the load profile (20k → 200k → 50k records/s), in virtual
 * time on the DS2-style pipeline model the unit tests use (a keyed map of 25k records/s per subtask,
 * 5 % noise, 5 s restarts): decisions and time to converge after each step, reversals, backlog and
 * slot-seconds, for tsflink's autoscaler, the same engine with Flink's default timings, and a fixed
 * maximum parallelism: that part measures the decision logic. Then, outside quick mode, the same
 * three kinds of controller on real processes (autoscale-processes.ts): tsflink's autoscaler,
 * Flink's autoscaler library through our driver (when Java and Maven are there), and a fixed
 * parallelism.
 */
import type { AutoscalerSettings } from '../src/autoscaler/autoscaler-settings.js';
import type { ScalingDecision } from '../src/autoscaler/scaling-decision.js';
import { PipelineSimulator } from '../test/helpers/pipeline-simulator.js';
import { reversals, runLoop, settingsWith } from '../test/helpers/simulated-run.js';
import { processMetrics, runProcessTrials } from './autoscale-processes.js';
import { baseline, currentEnvironment, metric, quickMode, type BenchResult } from './benchmark.js';

/** Registry name: `npm run bench autoscale`. */
export const name = 'autoscale';

const MINUTE = 60_000;
const STEP_UP_MS = 5 * MINUTE;
const STEP_DOWN_MS = 15 * MINUTE;
const END_MS = 30 * MINUTE;
const FIXED_PARALLELISM = 16;
const LOAD = (t: number): number => (t < STEP_UP_MS ? 20_000 : t < STEP_DOWN_MS ? 200_000 : 50_000);

/** Flink's defaults for the keys the engine reads (15 min window, 5 min stabilization, 1 h scale-down interval, ...). */
const FLINK_TIMINGS: Partial<AutoscalerSettings> = {
  metricsWindowMs: 15 * MINUTE,
  stabilizationIntervalMs: 5 * MINUTE,
  scaleDownIntervalMs: 60 * MINUTE,
  catchUpDurationMs: 30 * MINUTE,
  restartTimeMs: 5 * MINUTE,
  backlogLagThresholdMs: 5 * MINUTE,
  targetUtilizationBoundary: 0.3,
};

/** What one controller did over one run of the profile. */
interface Outcome {
  readonly decisionsAfterUp: number;
  readonly convergeUpS: number;
  readonly decisionsAfterDown: number;
  readonly convergeDownS: number;
  readonly reversals: number;
  readonly peakBacklog: number;
  readonly backlogRecordSeconds: number;
  readonly slotSeconds: number;
}

function simulate(settings: AutoscalerSettings | undefined, seed: number, loopMs: number): Outcome {
  const sim = new PipelineSimulator(
    [
      { id: 'source', capacityPerSubtask: 10_000_000, parallelism: 1 },
      { id: 'map', capacityPerSubtask: 25_000, parallelism: settings === undefined ? FIXED_PARALLELISM : 2, ship: 'HASH' },
    ],
    LOAD,
    { noise: 0.05, restartMs: 5_000, seed },
  );
  const run = runLoop(sim, settings ?? settingsWith(), END_MS, { loopMs, apply: settings !== undefined });
  const applied = settings === undefined ? [] : run.applied;
  const between = (from: number, to: number): ScalingDecision[] => applied.filter((d) => d.timeMs >= from && d.timeMs < to);
  const up = between(STEP_UP_MS, STEP_DOWN_MS);
  const down = between(STEP_DOWN_MS, END_MS);
  let parallelism = settings === undefined ? FIXED_PARALLELISM : 2;
  let next = 0;
  let slotSeconds = 0;
  let backlogRecordSeconds = 0;
  let peakBacklog = 0;
  for (const point of run.backlog) {
    while (next < applied.length && applied[next]!.timeMs <= point.timeMs) parallelism = applied[next++]!.parallelism!['map']!;
    slotSeconds += (parallelism * loopMs) / 1000;
    backlogRecordSeconds += (point.backlog * loopMs) / 1000;
    peakBacklog = Math.max(peakBacklog, point.backlog);
  }
  const path = applied.map((d) => d.parallelism!['map']!);
  return {
    decisionsAfterUp: up.length,
    convergeUpS: up.length === 0 ? 0 : (up.at(-1)!.timeMs - STEP_UP_MS) / 1000,
    decisionsAfterDown: down.length,
    convergeDownS: down.length === 0 ? 0 : (down.at(-1)!.timeMs - STEP_DOWN_MS) / 1000,
    // A change of direction within a phase of steady load is flapping; following a step is not.
    reversals:
      reversals(
        between(0, STEP_UP_MS).map((d) => d.parallelism!['map']!),
        2,
      ) +
      reversals(
        up.map((d) => d.parallelism!['map']!),
        path[0] ?? 2,
      ),
    peakBacklog,
    backlogRecordSeconds,
    slotSeconds,
  };
}

export async function run(): Promise<BenchResult> {
  const seeds = quickMode() ? [1] : [1, 2, 3, 4, 5];
  const ours = seeds.map((seed) => simulate(settingsWith(), seed, 5_000));
  const flinkTimings = seeds.map((seed) => simulate(settingsWith(FLINK_TIMINGS), seed, 10_000));
  const fixed = seeds.map((seed) => simulate(undefined, seed, 5_000));
  const of = (outcomes: readonly Outcome[], key: keyof Outcome): number[] => outcomes.map((o) => o[key]);
  const versus = (key: keyof Outcome) => ({
    baselines: [
      baseline('same engine, Flink default timings', of(flinkTimings, key)),
      baseline(`fixed parallelism ${FIXED_PARALLELISM}`, of(fixed, key)),
    ],
  });
  const fixedSlots = of(fixed, 'slotSeconds')[0]!;
  // Real processes take minutes; quick mode keeps to the model.
  const processes = quickMode()
    ? { metrics: [], notes: ['Quick mode: the real-process trials were not run.'] }
    : processMetrics(await runProcessTrials((line) => process.stderr.write(`${line}\n`)));
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics: [
      metric('decisions after the step up', 'decisions', of(ours, 'decisionsAfterUp'), {
        ...versus('decisionsAfterUp'),
        target: { comparison: '≤', value: 2 },
      }),
      metric('time to converge after the step up', 's', of(ours, 'convergeUpS'), {
        ...versus('convergeUpS'),
        target: { comparison: '<', value: 60 },
      }),
      metric('decisions after the step down', 'decisions', of(ours, 'decisionsAfterDown'), versus('decisionsAfterDown')),
      metric('time to converge after the step down', 's', of(ours, 'convergeDownS'), versus('convergeDownS')),
      metric('reversals on steady load', 'reversals', of(ours, 'reversals'), {
        ...versus('reversals'),
        target: { comparison: '≤', value: 0 },
      }),
      metric('peak backlog', 'records', of(ours, 'peakBacklog'), versus('peakBacklog')),
      metric('integrated backlog', 'record·s', of(ours, 'backlogRecordSeconds'), versus('backlogRecordSeconds')),
      metric('slot-seconds', 'slot·s', of(ours, 'slotSeconds'), {
        ...versus('slotSeconds'),
        target: { comparison: '≤', value: Math.round(0.7 * fixedSlots) },
        measured: `${FIXED_PARALLELISM} slots for 30 min is ${fixedSlots} slot·s; the target is 30 % fewer`,
      }),
      ...processes.metrics,
    ],
    notes: [
      'Virtual time on the pipeline model of test/helpers/pipeline-simulator.ts, not real processes; test/e2e/autoscaler.test.ts runs the loop with real TaskManagers.',
      "In the model rows the middle column is tsflink's engine with Flink's default timings (15 min window, 5 min stabilization, 1 h scale-down interval, 0.3 boundary), a stand-in for Flink's autoscaler at its defaults. A 0 after the step up there means no decision came before the next step: with a 15 min window the first one comes after the step down. The rows named 'processes:' run Flink's real autoscaler library.",
      ...processes.notes,
    ],
  };
}
