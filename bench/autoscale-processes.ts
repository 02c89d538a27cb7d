/**
 * The real-process half of `npm run bench autoscale`: one load step (1500 → 6000 → 1500 records/s
 * into a keyed counter of 4000 records/s per subtask) on an adaptive-scheduler tsflink cluster of
 * three one-slot TaskManagers, under tsflink's autoscaler (inside the JobManager), Flink's
 * autoscaler (our driver around its library, when Java and Maven are there) and a fixed parallelism
 * of 3, all judged from the job as REST shows it (autoscaler-trial-outcome.ts).
 */
import { FAST_FLINK_OPTIONS, flinkAutoscalerController, NO_CONTROLLER, runScheduledTrial, type LoadPhase } from './autoscaler-trial.js';
import { trialOutcome, type TrialOutcome } from './autoscaler-trial-outcome.js';
import { baseline, metric, type Baseline, type MetricResult, type Target } from './benchmark.js';
import { ensureAutoscalerDriver, FlinkUnavailableError } from './vs-flink/flink-autoscaler-driver.js';

/** About 2 minutes of load per controller, 6 to 7 minutes in all. */
const PROFILE: readonly LoadPhase[] = [
  { rate: 1500, seconds: 25 },
  { rate: 6000, seconds: 50 },
  { rate: 1500, seconds: 50 },
];
const TASK_MANAGERS = 3;

/** tsflink's autoscaler with the same options as Flink's, acting through the resource requirements. */
const TSFLINK_AUTOSCALER: Readonly<Record<string, string>> = { ...FAST_FLINK_OPTIONS };

/** What the three controllers did; Flink's is a reason when it could not run. */
export interface ProcessOutcomes {
  readonly tsflink: TrialOutcome;
  readonly flink: TrialOutcome | string;
  readonly fixed: TrialOutcome;
}

/** Runs the three trials one after the other (they would compete for the cores side by side). */
export async function runProcessTrials(log: (line: string) => void): Promise<ProcessOutcomes> {
  log('autoscale (real processes): tsflink autoscaler...');
  const tsflink = trialOutcome(await runScheduledTrial(PROFILE, TSFLINK_AUTOSCALER, TASK_MANAGERS, NO_CONTROLLER));
  let flink: TrialOutcome | string;
  try {
    await ensureAutoscalerDriver();
    log("autoscale (real processes): Flink's autoscaler...");
    flink = trialOutcome(await runScheduledTrial(PROFILE, {}, TASK_MANAGERS, flinkAutoscalerController()));
  } catch (error) {
    // Without Java or Maven the row says why; a trial that breaks says so too, and the other rows stand.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    flink = error instanceof FlinkUnavailableError ? `skipped: ${message}` : `failed: ${message}`;
  }
  log(`autoscale (real processes): fixed parallelism ${TASK_MANAGERS}...`);
  const fixed = trialOutcome(await runScheduledTrial(PROFILE, { 'parallelism.default': TASK_MANAGERS }, TASK_MANAGERS, NO_CONTROLLER));
  return { tsflink, flink, fixed };
}

/** The real-process rows: tsflink's figure, with Flink's autoscaler and the fixed parallelism as baselines. */
export function processMetrics(outcomes: ProcessOutcomes): { metrics: MetricResult[]; notes: string[] } {
  const { tsflink, flink, fixed } = outcomes;
  // The issue's targets for tsflink's autoscaler: at most 2 decisions and under 60 s after a step,
  // no reversal, and 30 % fewer slot-seconds than the fixed maximum.
  const rows: Array<[string, string, (o: TrialOutcome) => number, Target?]> = [
    ['processes: decisions after the step up', 'decisions', (o) => o.decisionsPerStep[0] ?? 0, { comparison: '≤', value: 2 }],
    ['processes: time to converge after the step up', 's', (o) => o.convergeSPerStep[0] ?? 0, { comparison: '<', value: 60 }],
    ['processes: decisions after the step down', 'decisions', (o) => o.decisionsPerStep[1] ?? 0, { comparison: '≤', value: 2 }],
    ['processes: time to converge after the step down', 's', (o) => o.convergeSPerStep[1] ?? 0, { comparison: '<', value: 60 }],
    ['processes: reversals on steady load', 'reversals', (o) => o.reversals, { comparison: '≤', value: 0 }],
    ['processes: peak backlog', 'records', (o) => o.peakBacklog],
    ['processes: integrated backlog', 'record·s', (o) => o.backlogRecordSeconds],
    ['processes: slot-seconds', 'slot·s', (o) => o.slotSeconds, { comparison: '≤', value: Math.round(0.7 * fixed.slotSeconds) }],
  ];
  const metrics = rows.map(([name, unit, of, target]) => {
    const baselines: Baseline[] = [];
    if (typeof flink !== 'string') baselines.push(baseline("Flink's autoscaler (library driver)", [of(flink)]));
    baselines.push(baseline(`fixed parallelism ${TASK_MANAGERS}`, [of(fixed)]));
    return metric(name, unit, [of(tsflink)], target === undefined ? { baselines } : { baselines, target });
  });
  const profile = PROFILE.map((p) => `${p.rate}/s for ${p.seconds} s`).join(', ');
  const notes = [
    `Real processes: ${profile} into the scheduled-load job (a keyed counter of 4000 records/s per subtask) on ${TASK_MANAGERS} one-slot TaskManagers, Adaptive Scheduler; both autoscalers get the same options (${Object.entries(
      FAST_FLINK_OPTIONS,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(
        ', ',
      )}) and act through PUT /jobs/:id/resource-requirements. A decision is a rescale seen in REST; slot-seconds count the largest vertex parallelism.`,
    typeof flink === 'string'
      ? `Flink's autoscaler: ${flink}`
      : "Flink's autoscaler is Apache Flink's flink-autoscaler library 1.10.0 in our driver (bench/flink-autoscaler): Maven Central does not serve flink-autoscaler-standalone.",
  ];
  return { metrics, notes };
}
