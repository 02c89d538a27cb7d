/** Flink's metric names (MetricNames) that tsflink reports, plus its own few, in one place. */
export const MetricNames = {
  // task and operator I/O
  NUM_RECORDS_IN: 'numRecordsIn',
  NUM_RECORDS_OUT: 'numRecordsOut',
  NUM_RECORDS_IN_RATE: 'numRecordsInPerSecond',
  NUM_RECORDS_OUT_RATE: 'numRecordsOutPerSecond',
  NUM_BYTES_IN: 'numBytesIn',
  NUM_BYTES_OUT: 'numBytesOut',
  NUM_BYTES_IN_RATE: 'numBytesInPerSecond',
  NUM_BYTES_OUT_RATE: 'numBytesOutPerSecond',
  BUSY_TIME_RATE: 'busyTimeMsPerSecond',
  BACK_PRESSURED_TIME_RATE: 'backPressuredTimeMsPerSecond',
  IDLE_TIME_RATE: 'idleTimeMsPerSecond',
  ACC_BUSY_TIME: 'accumulatedBusyTime',
  ACC_BACK_PRESSURED_TIME: 'accumulatedBackPressuredTime',
  ACC_IDLE_TIME: 'accumulatedIdleTime',
  IS_BACK_PRESSURED: 'isBackPressured',
  CURRENT_INPUT_WATERMARK: 'currentInputWatermark',
  CURRENT_OUTPUT_WATERMARK: 'currentOutputWatermark',
  PENDING_RECORDS: 'pendingRecords',
  /** tsflink's: bytes of state the task restored from its TaskManager's local copy (task-local recovery). */
  RESTORED_STATE_BYTES_LOCAL: 'restoredStateBytesLocal',
  /** tsflink's: bytes of state the task restored from checkpoint storage. */
  RESTORED_STATE_BYTES_FROM_STORAGE: 'restoredStateBytesFromStorage',
  // job (JobManager side)
  NUM_RESTARTS: 'numRestarts',
  /** Rescales counted apart from failures (Flink 2.1's numRescales). */
  NUM_RESCALES: 'numRescales',
  UPTIME: 'uptime',
  DOWNTIME: 'downtime',
  RESTARTING_TIME: 'restartingTime',
  // JobManager
  NUM_REGISTERED_TASK_MANAGERS: 'numRegisteredTaskManagers',
  NUM_RUNNING_JOBS: 'numRunningJobs',
  TASK_SLOTS_AVAILABLE: 'taskSlotsAvailable',
  TASK_SLOTS_TOTAL: 'taskSlotsTotal',
} as const;

/** Flink's job checkpoint metrics, in the order REST lists them. */
export const CHECKPOINT_METRIC_NAMES = [
  'numberOfCompletedCheckpoints',
  'numberOfFailedCheckpoints',
  'numberOfInProgressCheckpoints',
  'totalNumberOfCheckpoints',
  'lastCheckpointDuration',
  'lastCheckpointSize',
  'lastCheckpointFullSize',
  'lastCheckpointRestoreTimestamp',
  'lastCompletedCheckpointId',
  'lastCheckpointExternalPath',
] as const;

/** Process metrics, under `Status` of the JobManager and TaskManager groups (names as Flink's JVM metrics where one exists). */
export const StatusMetricNames = {
  CPU_LOAD: 'Status.JVM.CPU.Load',
  CPU_TIME: 'Status.JVM.CPU.Time',
  HEAP_USED: 'Status.JVM.Memory.Heap.Used',
  HEAP_COMMITTED: 'Status.JVM.Memory.Heap.Committed',
  HEAP_MAX: 'Status.JVM.Memory.Heap.Max',
  DIRECT_USED: 'Status.JVM.Memory.Direct.MemoryUsed',
  /** Node has no JVM: the resident set size of the process, which Flink does not report. */
  RSS: 'Status.Process.RSS',
  /** tsflink's: the TaskManager's slots (Flink reports slots only on the JobManager). */
  SLOTS_TOTAL: 'Status.TaskSlots.Total',
  SLOTS_AVAILABLE: 'Status.TaskSlots.Available',
} as const;
