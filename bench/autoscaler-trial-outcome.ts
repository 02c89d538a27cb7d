import type { AutoscalerTrial } from './autoscaler-trial.js';

/** What a controller did over one trial, judged from the job as REST showed it every second. */
export interface TrialOutcome {
  /** Rescales seen after each step (phases 2, 3, ...): each is one decision applied. */
  readonly decisionsPerStep: readonly number[];
  /** Seconds from each step to the last rescale it caused (0 when none). */
  readonly convergeSPerStep: readonly number[];
  /** Changes of direction of one vertex within one phase of steady load. */
  readonly reversals: number;
  readonly peakBacklog: number;
  readonly backlogRecordSeconds: number;
  /** Slots held (the largest vertex parallelism: every vertex shares one slot sharing group) × seconds, while the load ran. */
  readonly slotSeconds: number;
}

/** When each phase starts, epoch ms. */
function phaseStarts(trial: AutoscalerTrial): number[] {
  const starts: number[] = [];
  let at = trial.loadStartMs;
  for (const phase of trial.phases) {
    starts.push(at);
    at += phase.seconds * 1000;
  }
  return starts;
}

/** Judges a trial by its samples, the same way whatever the controller. */
export function trialOutcome(trial: AutoscalerTrial): TrialOutcome {
  const starts = phaseStarts(trial);
  const phaseOf = (timeMs: number): number => starts.filter((s) => s <= timeMs).length - 1;
  const during = trial.samples.filter((s) => s.timeMs >= trial.loadStartMs);
  const rescales: number[] = [];
  // Per vertex and phase, the direction of its last change, to count reversals.
  const lastDirection = new Map<string, number>();
  let reversals = 0;
  let slotSeconds = 0;
  let backlogRecordSeconds = 0;
  let peakBacklog = 0;
  for (let i = 0; i < during.length; i++) {
    const sample = during[i]!;
    peakBacklog = Math.max(peakBacklog, sample.backlog);
    const previous = during[i - 1];
    if (previous === undefined) continue;
    const seconds = (sample.timeMs - previous.timeMs) / 1000;
    slotSeconds += Math.max(...Object.values(previous.parallelism)) * seconds;
    backlogRecordSeconds += previous.backlog * seconds;
    let changed = false;
    for (const [vertex, p] of Object.entries(sample.parallelism)) {
      const before = previous.parallelism[vertex];
      if (before === undefined || before === p) continue;
      changed = true;
      const direction = Math.sign(p - before);
      const key = `${phaseOf(sample.timeMs)}/${vertex}`;
      const last = lastDirection.get(key);
      if (last !== undefined && last !== direction) reversals++;
      lastDirection.set(key, direction);
    }
    if (changed) rescales.push(sample.timeMs);
  }
  const steps = starts.slice(1).map((start, i) => {
    const end = starts[i + 2] ?? Infinity;
    const inStep = rescales.filter((t) => t >= start && t < end);
    return { decisions: inStep.length, convergeS: inStep.length === 0 ? 0 : (inStep.at(-1)! - start) / 1000 };
  });
  return {
    decisionsPerStep: steps.map((s) => s.decisions),
    convergeSPerStep: steps.map((s) => Math.round(s.convergeS * 10) / 10),
    reversals,
    peakBacklog,
    backlogRecordSeconds: Math.round(backlogRecordSeconds),
    slotSeconds: Math.round(slotSeconds),
  };
}
