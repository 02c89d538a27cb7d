/** Program-level settings: the ExecutionConfig and CheckpointConfig views of the environment, and the runtime mode. */

/** Flink's RuntimeExecutionMode; BATCH and AUTOMATIC are accepted and run as STREAMING. */
export const RuntimeExecutionMode = {
  STREAMING: 'STREAMING',
  BATCH: 'BATCH',
  AUTOMATIC: 'AUTOMATIC',
} as const;
/** One of the runtime modes. */
export type RuntimeExecutionMode = (typeof RuntimeExecutionMode)[keyof typeof RuntimeExecutionMode];

/** Settings of the environment's execution (Flink's ExecutionConfig, the parts tsflink uses). */
export class ExecutionConfig {
  constructor(private autoWatermarkIntervalMs: number) {}

  /** Interval of periodic watermarks in ms; 0 turns them off. */
  setAutoWatermarkInterval(intervalMs: number): this {
    if (!Number.isInteger(intervalMs) || intervalMs < 0)
      throw new RangeError(`The auto-watermark interval must be an integer >= 0 ms, got ${intervalMs}`);
    this.autoWatermarkIntervalMs = intervalMs;
    return this;
  }

  getAutoWatermarkInterval(): number {
    return this.autoWatermarkIntervalMs;
  }
}

/** The checkpoint settings a program made (Flink's CheckpointConfig, the interval only). */
export class CheckpointConfig {
  constructor(private readonly interval: () => number | undefined) {}
  isCheckpointingEnabled(): boolean {
    return this.interval() !== undefined;
  }
  /** The interval in ms; -1 when checkpointing is off. */
  getCheckpointInterval(): number {
    return this.interval() ?? -1;
  }
}
