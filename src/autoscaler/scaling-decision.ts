/** What a control-loop round concluded. */
export type DecisionOutcome =
  /** The job just started or rescaled; metrics are not trusted yet. */
  | 'stabilizing'
  /** Not enough history to fill metrics.window. */
  | 'collecting'
  /** Every vertex is inside its utilization band: nothing to do. */
  | 'within-target'
  /** Some vertex is outside its band but the recommended parallelism equals the current one (alignment, bounds, delays). */
  | 'no-change'
  /** The parallelism should change. */
  | 'scale';

/** One vertex's inputs to the decision and what it was recommended, as REST and the log show them. */
export interface VertexDecision {
  readonly id: string;
  readonly name: string;
  readonly currentParallelism: number;
  readonly recommendedParallelism: number;
  readonly maxParallelism: number;
  /** Busy fraction 0..1 (subtasks combined by the busy-time aggregator). */
  readonly load: number;
  readonly backPressure: number;
  readonly inputRate: number;
  readonly trueProcessingRate: number;
  readonly targetDataRate: number;
  readonly catchUpDataRate: number;
  readonly targetCapacity: number;
  readonly scaleUpThreshold: number;
  readonly scaleDownThreshold: number;
  readonly outsideBand: boolean;
  readonly pendingRecords?: number;
  /** The same figures over the last control-loop interval only: Flink's `Current` beside the window's `Average`. */
  readonly current: { readonly load: number; readonly trueProcessingRate: number; readonly targetDataRate: number };
  /** Why the recommendation is not simply target / capacity × p: caps, bounds, alignment, delays. */
  readonly notes: readonly string[];
}

/** One round's decision with its inputs and reasons. */
export interface ScalingDecision {
  readonly timeMs: number;
  readonly outcome: DecisionOutcome;
  /** One sentence on why. */
  readonly reason: string;
  readonly processingBacklog: boolean;
  readonly vertices: readonly VertexDecision[];
  /** The parallelism per vertex id to apply; set only when the outcome is `scale`. */
  readonly parallelism?: Readonly<Record<string, number>>;
  /** A line for the rescale timeline: "autoscaler: busy 92 % at p=2, target 70 % → p=3 (Map)". */
  readonly summary?: string;
}

const percent = (fraction: number): string => `${Math.round(fraction * 100)} %`;

/**
 * The timeline line for a scaling decision, told for the vertex that drove it (judged on the vertices'
 * own recommendations, `applied` being what the job gets): on a scale-up the one
 * asking for the largest factor, on a scale-down the one that keeps the parallelism highest.
 */
export function summarize(
  vertices: readonly VertexDecision[],
  applied: Readonly<Record<string, number>>,
  targetUtilization: number,
): string | undefined {
  const changed = vertices.filter((v) => v.recommendedParallelism !== v.currentParallelism);
  if (changed.length === 0) return undefined;
  const growth = (v: VertexDecision): number => v.recommendedParallelism / v.currentParallelism;
  const up = changed.some((v) => growth(v) > 1);
  const driver = up
    ? changed.reduce((a, b) => (growth(b) > growth(a) ? b : a))
    : changed.reduce((a, b) => (b.recommendedParallelism > a.recommendedParallelism ? b : a));
  const backlog = driver.catchUpDataRate > 0 && driver.pendingRecords ? `, backlog ${Math.round(driver.pendingRecords)}` : '';
  return (
    `autoscaler: busy ${percent(driver.load)} at p=${driver.currentParallelism}, target ${percent(targetUtilization)}` +
    `${backlog} → p=${applied[driver.id] ?? driver.recommendedParallelism} (${driver.name})`
  );
}
