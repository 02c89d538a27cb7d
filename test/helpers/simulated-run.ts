import { autoscalerSettings, type AutoscalerSettings } from '../../src/autoscaler/autoscaler-settings.js';
import { ScalingDecider } from '../../src/autoscaler/scaling-decider.js';
import type { ScalingDecision } from '../../src/autoscaler/scaling-decision.js';
import type { VertexSample } from '../../src/autoscaler/metric-sample.js';
import { Configuration } from '../../src/config/configuration.js';
import type { PipelineSimulator } from './pipeline-simulator.js';

/** The defaults of the job.autoscaler.* options, with a few overridden. */
export function settingsWith(overrides: Partial<AutoscalerSettings> = {}): AutoscalerSettings {
  return { ...autoscalerSettings(Configuration.empty()), ...overrides };
}

/** What a simulated run did: every round's decision, and the applied ones with the backlog after each round. */
export interface SimulatedRun {
  readonly rounds: readonly ScalingDecision[];
  readonly applied: readonly ScalingDecision[];
  readonly backlog: readonly { timeMs: number; backlog: number }[];
}

/** Runs the control loop over the simulator in virtual time, applying every `scale` decision. */
export function runLoop(
  sim: PipelineSimulator,
  settings: AutoscalerSettings,
  untilMs: number,
  options: { loopMs?: number; fromMs?: number; decider?: ScalingDecider; apply?: boolean } = {},
): SimulatedRun {
  const loopMs = options.loopMs ?? 5_000;
  const decider = options.decider ?? new ScalingDecider(settings);
  const rounds: ScalingDecision[] = [];
  const applied: ScalingDecision[] = [];
  const backlog: { timeMs: number; backlog: number }[] = [];
  for (let t = (options.fromMs ?? 0) + loopMs; t <= untilMs; t += loopMs) {
    const sample = sim.advance(t - loopMs, t);
    const decision = decider.observe(sim.topology(), sample);
    rounds.push(decision);
    backlog.push({ timeMs: t, backlog: sim.backlog });
    if (decision.outcome === 'scale' && decision.parallelism && options.apply !== false) {
      applied.push(decision);
      sim.rescale(decision.parallelism, t);
      decider.markApplied(t);
    }
  }
  return { rounds, applied, backlog };
}

/** Parallelism of one vertex after each applied decision, to spot reversals. */
export function parallelismPath(run: SimulatedRun, vertexId: string): number[] {
  return run.applied.map((d) => d.parallelism![vertexId]!);
}

/** How many times the direction of change flipped (up then down, or down then up) within the path. */
export function reversals(path: readonly number[], start: number): number {
  let last = 0;
  let flips = 0;
  let previous = start;
  for (const p of path) {
    const direction = Math.sign(p - previous);
    if (direction !== 0 && last !== 0 && direction !== last) flips++;
    if (direction !== 0) last = direction;
    previous = p;
  }
  return flips;
}

/** One vertex's sample with the same busy time on every subtask, records in = out, and optionally a backlog. */
export const vertexSample = (busy: number, rate: number, pending?: number): VertexSample => ({
  busyTimeMsPerSecond: { max: busy, avg: busy, min: busy },
  backPressuredTimeMsPerSecond: 0,
  numRecordsInPerSecond: rate,
  numRecordsOutPerSecond: rate,
  ...(pending === undefined ? {} : { pendingRecords: pending }),
});
