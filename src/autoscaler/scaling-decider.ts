import type { AutoscalerSettings } from './autoscaler-settings.js';
import type { JobTopology, VertexInfo } from './job-topology.js';
import { parallelismSignature } from './job-topology.js';
import type { MetricSample } from './metric-sample.js';
import type { DecisionOutcome, ScalingDecision, VertexDecision } from './scaling-decision.js';
import { summarize } from './scaling-decision.js';
import type { JobEvaluation, VertexEvaluation } from './vertex-evaluator.js';
import { evaluateJob, isOutsideBand } from './vertex-evaluator.js';
import { recommendParallelism } from './vertex-scaler.js';

/** How a decision is applied: per vertex (adaptive scheduler) or one parallelism for all (Reactive Mode's slots). */
export interface DeciderOptions {
  readonly uniformParallelism?: boolean;
}

/** A scale-down waiting out scale-down.interval: when it was first asked and the highest it was asked since. */
interface DelayedScaleDown {
  readonly firstMs: number;
  maxRecommended: number;
}

/**
 * The autoscaler's decision engine for one job, fed one metric sample per control-loop round.
 * It keeps no clock of its own (time is the samples'), so recorded series replay exactly.
 *
 * Hysteresis comes from four places, as in Flink: no decision until stabilization.interval has passed
 * and metrics.window is full after a rescale; no decision while every vertex is inside its
 * utilization band; a scale-down waits scale-down.interval and then takes the highest parallelism
 * recommended meanwhile; and the window's averages, not single readings, feed the formula.
 */
export class ScalingDecider {
  #signature: string | undefined;
  #stableFromMs = 0;
  #windowStartMs: number | undefined;
  #samples: MetricSample[] = [];
  readonly #delayed = new Map<string, DelayedScaleDown>();

  constructor(
    private readonly settings: AutoscalerSettings,
    private readonly options: DeciderOptions = {},
  ) {}

  /** Forgets history after a decision was applied; metrics are trusted again after stabilization.interval. */
  markApplied(nowMs: number): void {
    this.#restart(nowMs);
  }

  /** Takes one round's topology and metrics and decides. */
  observe(topology: JobTopology, sample: MetricSample): ScalingDecision {
    const now = sample.timeMs;
    const signature = parallelismSignature(topology);
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#restart(now);
    }
    if (now < this.#stableFromMs) {
      return this.#empty(now, 'stabilizing', `stabilizing until ${this.#stableFromMs - now} ms from now after the last rescale`);
    }
    this.#windowStartMs ??= now;
    this.#samples.push(sample);
    this.#samples = this.#samples.filter((s) => s.timeMs >= now - this.settings.metricsWindowMs);
    const collected = now - this.#windowStartMs;
    if (collected < this.settings.metricsWindowMs) {
      return this.#empty(now, 'collecting', `collecting metrics: ${collected} of ${this.settings.metricsWindowMs} ms`);
    }
    return this.#decide(topology, evaluateJob(topology, this.#samples, this.settings), now);
  }

  #restart(nowMs: number): void {
    this.#samples = [];
    this.#windowStartMs = undefined;
    this.#stableFromMs = nowMs + this.settings.stabilizationIntervalMs;
    this.#delayed.clear();
  }

  #empty(timeMs: number, outcome: DecisionOutcome, reason: string): ScalingDecision {
    return { timeMs, outcome, reason, processingBacklog: false, vertices: [] };
  }

  #decide(topology: JobTopology, evaluation: JobEvaluation, now: number): ScalingDecision {
    const outside = topology.vertices.filter((v) => isOutsideBand(evaluation.vertices.get(v.id)!));
    if (outside.length === 0) {
      this.#delayed.clear();
      const vertices = topology.vertices.map((v) => this.#record(v, evaluation.vertices.get(v.id)!, v.parallelism, []));
      return {
        timeMs: now,
        outcome: 'within-target',
        reason: 'every vertex is within its utilization band',
        processingBacklog: evaluation.processingBacklog,
        vertices,
      };
    }
    // Unlike Flink, a vertex inside its band keeps its parallelism even when another one is rescaled:
    // re-deriving it would move it on rounding alone (the restart term puts a vertex at exactly
    // target utilization a few percent short), and that is flapping by another name.
    const own = topology.vertices.map((vertex) => {
      const e = evaluation.vertices.get(vertex.id)!;
      return isOutsideBand(e) ? this.#recommend(vertex, e, now) : this.#record(vertex, e, vertex.parallelism, ['inside its band']);
    });
    const vertices = this.options.uniformParallelism ? uniform(own, topology) : own;
    const changed = vertices.filter((v) => v.recommendedParallelism !== v.currentParallelism);
    const names = outside.map((v) => v.name).join(', ');
    if (changed.length === 0) {
      return {
        timeMs: now,
        outcome: 'no-change',
        reason: `outside the band: ${names}; the recommended parallelism is the current one`,
        processingBacklog: evaluation.processingBacklog,
        vertices,
      };
    }
    const parallelism = Object.fromEntries(vertices.map((v) => [v.id, v.recommendedParallelism]));
    return {
      timeMs: now,
      outcome: 'scale',
      reason: `outside the band: ${names}`,
      processingBacklog: evaluation.processingBacklog,
      vertices,
      parallelism,
      summary: summarize(own, parallelism, this.settings.targetUtilization),
    };
  }

  /** The vertex's recommendation after scale-down.interval: a scale-down is held back until it has been asked for long enough. */
  #recommend(vertex: VertexInfo, evaluation: VertexEvaluation, now: number): VertexDecision {
    const recommendation = recommendParallelism(vertex, evaluation, this.settings);
    const notes = [...recommendation.notes];
    let parallelism = recommendation.parallelism;
    if (parallelism >= vertex.parallelism || this.settings.scaleDownIntervalMs <= 0) {
      this.#delayed.delete(vertex.id);
    } else {
      const delayed = this.#delayed.get(vertex.id) ?? { firstMs: now, maxRecommended: parallelism };
      delayed.maxRecommended = Math.max(delayed.maxRecommended, parallelism);
      this.#delayed.set(vertex.id, delayed);
      const waited = now - delayed.firstMs;
      if (waited < this.settings.scaleDownIntervalMs) {
        notes.push(`scale-down to ${parallelism} delayed: asked for ${waited} of ${this.settings.scaleDownIntervalMs} ms`);
        parallelism = vertex.parallelism;
      } else {
        parallelism = delayed.maxRecommended;
        this.#delayed.delete(vertex.id);
      }
    }
    return this.#record(vertex, evaluation, parallelism, notes);
  }

  #record(vertex: VertexInfo, e: VertexEvaluation, recommended: number, notes: readonly string[]): VertexDecision {
    return {
      id: vertex.id,
      name: vertex.name,
      currentParallelism: vertex.parallelism,
      recommendedParallelism: recommended,
      load: e.load,
      backPressure: e.backPressure,
      inputRate: e.inputRate,
      trueProcessingRate: e.trueProcessingRate,
      targetDataRate: e.targetDataRate,
      catchUpDataRate: e.catchUpDataRate,
      targetCapacity: e.targetCapacity,
      scaleUpThreshold: e.scaleUpThreshold,
      scaleDownThreshold: e.scaleDownThreshold,
      outsideBand: isOutsideBand(e),
      pendingRecords: e.pendingRecords,
      notes,
    };
  }
}

/** Reactive Mode runs every vertex at the slot count: the job gets the largest recommendation, capped per vertex by its key groups. */
function uniform(vertices: readonly VertexDecision[], topology: JobTopology): VertexDecision[] {
  const slots = Math.max(...vertices.map((v) => v.recommendedParallelism));
  return vertices.map((v, i) => ({ ...v, recommendedParallelism: Math.min(slots, topology.vertices[i]?.maxParallelism ?? slots) }));
}
