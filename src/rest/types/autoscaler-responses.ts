// GET /jobs/:jobid/autoscaler: the decisions of tsflink's autoscaler (a tsflink endpoint, not
// Flink's). Types only, like responses.ts.

/** One vertex in an autoscaler decision: its measured inputs and what it was recommended (rates in records/s; null: unbounded). */
export interface AutoscalerVertexRecord {
  readonly id: string;
  readonly name: string;
  readonly currentParallelism: number;
  readonly recommendedParallelism: number;
  /** Busy fraction 0..1 over the metric window. */
  readonly load: number;
  readonly backPressure: number;
  readonly inputRate: number;
  readonly trueProcessingRate: number | null;
  readonly targetDataRate: number;
  readonly catchUpDataRate: number;
  readonly targetCapacity: number | null;
  readonly scaleUpThreshold: number | null;
  readonly scaleDownThreshold: number | null;
  readonly outsideBand: boolean;
  readonly pendingRecords: number | null;
  readonly notes: readonly string[];
  /**
   * The same figures as Flink's autoscaler reports them (ScalingMetric names: LOAD, TRUE_PROCESSING_RATE,
   * ...), each with its current value and, for LOAD, TRUE_PROCESSING_RATE and TARGET_DATA_RATE, the
   * window's average. Absent from records of autoscalers older than this field.
   */
  readonly scalingMetrics?: Readonly<Record<string, ScalingMetricValue>>;
}

/** One of Flink's autoscaler metrics: its value now and over the metric window (null: unknown or unbounded). */
export interface ScalingMetricValue {
  readonly current: number | null;
  readonly average?: number | null;
}

/** One decision of the autoscaler with its inputs, reasons and what was done about it. */
export interface AutoscalerDecisionRecord {
  readonly timestamp: number;
  /** stabilizing, collecting, within-target, no-change or scale. */
  readonly outcome: string;
  readonly reason: string;
  /** The timeline line, for a scale decision: "autoscaler: busy 92 % at p=2, target 70 % → p=3 (Map)". */
  readonly summary: string | null;
  /** True when job.autoscaler.scaling.enabled is false: the decision was only recommended. */
  readonly dryRun: boolean;
  /** True when the decision was acted on (TaskManagers started or stopped, requirements changed). */
  readonly applied: boolean;
  /** What acting did, or why nothing was done. */
  readonly action: string | null;
  readonly processingBacklog: boolean;
  readonly vertices: readonly AutoscalerVertexRecord[];
}

/** GET /jobs/:jobid/autoscaler (tsflink's): the autoscaler's recent decisions, oldest first. */
export interface AutoscalerDecisions {
  readonly decisions: readonly AutoscalerDecisionRecord[];
  /**
   * The metrics Flink's Kubernetes operator exposes for its autoscaler, from the latest decision:
   * `<jobVertexID>.<ScalingMetric>.Current` and `.Average`, plus the counters `scalings` (decisions
   * applied), `errors` (decisions whose application failed) and `balanced` (rounds that found
   * nothing to change). The same values are the job's `AutoScaler` metrics in the metric reporters.
   */
  readonly metrics: Readonly<Record<string, number | null>>;
}
