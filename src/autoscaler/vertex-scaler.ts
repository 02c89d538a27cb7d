import type { AutoscalerSettings } from './autoscaler-settings.js';
import type { VertexInfo } from './job-topology.js';
import { isSource } from './job-topology.js';
import type { VertexEvaluation } from './vertex-evaluator.js';

/** A vertex's recommended parallelism and the steps that led there, for the decision record. */
export interface VertexRecommendation {
  readonly parallelism: number;
  /** targetCapacity / trueProcessingRate before the max-factor caps. */
  readonly scaleFactor: number;
  /** What bent the linear answer: a cap, a bound, key-group alignment. */
  readonly notes: readonly string[];
}

/**
 * The parallelism meeting the vertex's target capacity (Flink's JobVertexScaler): scale linearly by
 * targetCapacity / trueProcessingRate, cap the factor, bound by min/max parallelism and key groups,
 * and round a keyed vertex or a source up to a parallelism that splits its key groups evenly.
 */
export function recommendParallelism(vertex: VertexInfo, evaluation: VertexEvaluation, settings: AutoscalerSettings): VertexRecommendation {
  const current = vertex.parallelism;
  const notes: string[] = [];
  const rawFactor = evaluation.targetCapacity / evaluation.trueProcessingRate;
  if (Number.isNaN(rawFactor)) return { parallelism: current, scaleFactor: rawFactor, notes: ['no rate measured'] };
  const minFactor = 1 - settings.scaleDownMaxFactor;
  const maxFactor = 1 + settings.scaleUpMaxFactor;
  let factor = rawFactor;
  if (factor < minFactor) {
    factor = minFactor;
    notes.push(`scale-down capped by scale-down.max-factor ${settings.scaleDownMaxFactor}`);
  } else if (factor > maxFactor) {
    factor = maxFactor;
    notes.push(`scale-up capped by scale-up.max-factor ${settings.scaleUpMaxFactor}`);
  }
  // Never force a vertex across a bound it already sits beyond: that would be a change nobody asked for.
  const lower = Math.min(current, settings.vertexMinParallelism);
  const upper = Math.min(vertex.maxParallelism, Math.max(current, settings.vertexMaxParallelism));
  const linear = Math.max(1, Math.ceil(factor * current - 1e-9));
  let parallelism = Math.min(Math.max(lower, linear), upper);
  if (parallelism !== linear) notes.push(`bounded to [${lower}, ${upper}]`);
  const keyed = isSource(vertex) || vertex.inputs.some((input) => input.ship === 'HASH');
  if (keyed) {
    const aligned = alignToKeyGroups(parallelism, vertex.maxParallelism, upper, lower, settings.keyGroupAdjustMode);
    if (aligned !== parallelism) notes.push(`aligned to ${vertex.maxParallelism} key groups`);
    parallelism = aligned;
  }
  return { parallelism, scaleFactor: rawFactor, notes };
}

/**
 * Raises p to the next parallelism whose subtasks get equal shares of the key groups (or, in
 * MAXIMIZE_UTILISATION, the first that lowers the largest share). Where none fits below the upper
 * bound, the smallest parallelism whose busiest subtask has as many key groups as at p is used.
 */
export function alignToKeyGroups(
  p: number,
  keyGroups: number,
  upper: number,
  lower: number,
  mode: AutoscalerSettings['keyGroupAdjustMode'],
): number {
  const ceiling = Math.min(keyGroups, upper);
  const share = (n: number): number => Math.floor(keyGroups / n);
  for (let candidate = p; candidate <= ceiling; candidate++) {
    if (keyGroups % candidate === 0) return candidate;
    if (mode === 'MAXIMIZE_UTILISATION' && share(candidate) < share(p)) return candidate;
  }
  // Flink walks down to the next divisor here, which can land below what the rate needs; stopping at
  // the smallest parallelism whose busiest subtask holds as many key groups as at p costs nothing.
  const largest = Math.ceil(keyGroups / p);
  let candidate = p;
  while (candidate > 1 && Math.ceil(keyGroups / (candidate - 1)) === largest) candidate--;
  return Math.max(candidate, lower, 1);
}
