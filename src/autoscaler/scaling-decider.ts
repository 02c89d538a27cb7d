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

/** The delayed scale-down of a job whose vertices share one parallelism. */
const JOB_KEY = '*';

/** A scale-down waiting out scale-down.interval: when it was first asked and the highest it was asked since. */
interface DelayedScaleDown {
  readonly firstMs: number;
  lastMs: number;
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
  readonly #delayedScaleDowns = new Map<string, DelayedScaleDown>();

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
    // The last interval alone gives the `Current` figures REST and the metrics show beside the window's.
    const current = evaluateJob(topology, this.#samples.slice(-2), this.settings);
    return this.#decide(topology, evaluateJob(topology, this.#samples, this.settings), current, now);
  }

  #restart(nowMs: number): void {
    this.#samples = [];
    this.#windowStartMs = undefined;
    this.#stableFromMs = nowMs + this.settings.stabilizationIntervalMs;
    this.#delayedScaleDowns.clear();
  }

  #empty(timeMs: number, outcome: DecisionOutcome, reason: string): ScalingDecision {
    return { timeMs, outcome, reason, processingBacklog: false, vertices: [] };
  }

  #decide(topology: JobTopology, evaluation: JobEvaluation, current: JobEvaluation, now: number): ScalingDecision {
    const record = (vertex: VertexInfo, recommended: number, notes: readonly string[]): VertexDecision =>
      this.#record(vertex, evaluation.vertices.get(vertex.id)!, current.vertices.get(vertex.id)!, recommended, notes);
    const outside = topology.vertices.filter((v) => isOutsideBand(evaluation.vertices.get(v.id)!));
    if (outside.length === 0) {
      // A round inside the band does not cancel a pending scale-down: load near the band's edge
      // would keep restarting its delay. One not asked for during a whole interval lapses instead.
      const vertices = topology.vertices.map((v) => record(v, v.parallelism, []));
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
      if (!isOutsideBand(e)) return record(vertex, vertex.parallelism, ['inside its band']);
      const recommendation = recommendParallelism(vertex, e, this.settings);
      return record(vertex, recommendation.parallelism, recommendation.notes);
    });
    const vertices = this.options.uniformParallelism ? this.#uniform(own, topology, now) : own.map((v) => this.#delayed(v, v.id, now));
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

  /**
   * Holds a scale-down back until it has been asked for during scale-down.interval, then takes the
   * highest parallelism asked meanwhile; `key` is the vertex, or the whole job when all share one parallelism.
   */
  #delayed(decision: VertexDecision, key: string, now: number): VertexDecision {
    const current = decision.currentParallelism;
    const asked = decision.recommendedParallelism;
    if (asked >= current || this.settings.scaleDownIntervalMs <= 0) {
      this.#delayedScaleDowns.delete(key);
      return decision;
    }
    const known = this.#delayedScaleDowns.get(key);
    const lapsed = known !== undefined && now - known.lastMs > this.settings.scaleDownIntervalMs;
    const delayed = known !== undefined && !lapsed ? known : { firstMs: now, lastMs: now, maxRecommended: asked };
    delayed.maxRecommended = Math.max(delayed.maxRecommended, asked);
    delayed.lastMs = now;
    this.#delayedScaleDowns.set(key, delayed);
    const waited = now - delayed.firstMs;
    if (waited < this.settings.scaleDownIntervalMs) {
      const note = `scale-down to ${asked} delayed: asked for ${waited} of ${this.settings.scaleDownIntervalMs} ms`;
      return { ...decision, recommendedParallelism: current, notes: [...decision.notes, note] };
    }
    this.#delayedScaleDowns.delete(key);
    return { ...decision, recommendedParallelism: delayed.maxRecommended };
  }

  /** Reactive Mode runs every vertex at the slot count: the job gets the largest recommendation (delayed as one), capped per vertex by its key groups. */
  #uniform(own: readonly VertexDecision[], topology: JobTopology, now: number): VertexDecision[] {
    const current = Math.max(...own.map((v) => v.currentParallelism));
    const asked = Math.max(...own.map((v) => v.recommendedParallelism));
    const job = this.#delayed({ ...own[0]!, currentParallelism: current, recommendedParallelism: asked, notes: [] }, JOB_KEY, now);
    return own.map((v, i) => ({
      ...v,
      recommendedParallelism: Math.min(job.recommendedParallelism, topology.vertices[i]?.maxParallelism ?? job.recommendedParallelism),
      notes: [...v.notes, ...job.notes],
    }));
  }

  #record(vertex: VertexInfo, e: VertexEvaluation, now: VertexEvaluation, recommended: number, notes: readonly string[]): VertexDecision {
    return {
      id: vertex.id,
      name: vertex.name,
      currentParallelism: vertex.parallelism,
      recommendedParallelism: recommended,
      maxParallelism: vertex.maxParallelism,
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
      current: { load: now.load, trueProcessingRate: now.trueProcessingRate, targetDataRate: now.targetDataRate },
      notes,
    };
  }
}
