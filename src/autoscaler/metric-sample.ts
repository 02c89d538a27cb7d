/** One vertex's metrics at one moment, aggregated over its subtasks as Flink's autoscaler reads them. */
export interface VertexSample {
  /** busyTimeMsPerSecond of the subtasks: the busiest, the mean and the idlest. */
  readonly busyTimeMsPerSecond: { readonly max: number; readonly avg: number; readonly min: number };
  /** backPressuredTimeMsPerSecond, the mean over the subtasks. */
  readonly backPressuredTimeMsPerSecond: number;
  /** Records taken in per second, summed over the subtasks (for a source: records it read). */
  readonly numRecordsInPerSecond: number;
  /** Records sent out per second, summed over the subtasks. */
  readonly numRecordsOutPerSecond: number;
  /** Backlog a source knows is waiting, summed over its subtasks; absent when it cannot tell. */
  readonly pendingRecords?: number;
}

/** Every vertex's metrics collected in one control-loop round. */
export interface MetricSample {
  readonly timeMs: number;
  readonly vertices: Readonly<Record<string, VertexSample>>;
}
