/**
 * Every code a TsFlinkError carries: the one home of these contracts. Codes travel between
 * processes inside serialized errors and are matched by value, so a typo here is a compile error,
 * not a silent mismatch in another process.
 */
export type ErrorCode =
  /** A configuration value or file that cannot be used. */
  | 'CONFIG_INVALID'
  /** Command-line arguments a script or entry point does not accept. */
  | 'USAGE'
  /** A job archive or module that cannot be loaded or run. */
  | 'PROGRAM_INVALID'
  /** A job whose run ended otherwise than FINISHED, as its main sees it. */
  | 'JOB_EXECUTION_FAILED'
  /** A user function or parameter the API refuses. */
  | 'FUNCTION_INVALID'
  | 'PARAMETER_INVALID'
  /** An event-time operation on a record without a timestamp. */
  | 'MISSING_TIMESTAMP'
  | 'UNSUPPORTED_OPERATION'
  /** Failures of the job's own I/O and records. */
  | 'SOURCE_READ'
  | 'SINK_WRITE'
  | 'SERIALIZATION'
  /** A single record larger than the largest data frame (taskmanager.network.max-frame-size): a restart cannot help. */
  | 'RECORD_TOO_LARGE'
  /** State that cannot be used: broken in the operator, damaged on disk, or not mappable onto the new job. */
  | 'STATE_ERROR'
  | 'STATE_CORRUPT'
  | 'STATE_MAX_PARALLELISM_TOO_LOW'
  | 'STATE_MAX_PARALLELISM_CHANGED'
  | 'STATE_NOT_RESTORABLE'
  /** Checkpoints and savepoints. */
  | 'CHECKPOINT_FAILED'
  | 'CHECKPOINT_TOLERANCE_EXCEEDED'
  | 'CHECKPOINT_METADATA_INVALID'
  | 'SAVEPOINT_NO_LOCATION'
  | 'FLINK_SAVEPOINT_FAILED'
  /** A consumer asked for a partition no producer registered in time. */
  | 'PARTITION_NOT_FOUND'
  /** A slot thread ran out of its heap (taskmanager.memory.task.heap.size), or ended otherwise than on request. */
  | 'TASK_OUT_OF_MEMORY'
  | 'TASK_THREAD_ENDED'
  /** RPC between processes. */
  | 'RPC_TIMEOUT'
  | 'RPC_CLOSED'
  | 'RPC_REMOTE'
  | 'RPC_PROTOCOL'
  | 'RPC_REFUSED'
  /** A message from a JobManager that no longer leads (its fencing token is not the current leader session id). */
  | 'FENCING_TOKEN_MISMATCH'
  /** ZooKeeper could not be reached in time, or refused an operation that retries cannot fix. */
  | 'ZOOKEEPER_UNREACHABLE'
  | 'ZOOKEEPER_OPERATION'
  /** The cluster secret or runtime directory is not safe to use. */
  | 'SECRET_INVALID'
  | 'SECRET_MISSING'
  | 'RUNTIME_DIR_UNSAFE'
  /** A pid-file lock that never came free. */
  | 'LOCK_TIMEOUT'
  /** A server that could not bind its port. */
  | 'ENDPOINT_BIND'
  /** bin/flink's REST calls, the JobManager it looks for, and a savepoint that does not finish. */
  | 'FLINK_CLIENT'
  | 'FLINK_NO_JOBMANAGER'
  | 'FLINK_SAVEPOINT_TIMEOUT'
  /** Requests refused by the job, jar and log gateways, and REST answers by status. */
  | 'JOB_REQUEST_NOT_FOUND'
  | 'JOB_REQUEST_BAD_REQUEST'
  | 'JOB_REQUEST_CONFLICT'
  | 'JOB_REQUEST_UNSUPPORTED'
  | 'JAR_REQUEST_NOT_FOUND'
  | 'JAR_REQUEST_BAD_REQUEST'
  | 'LOG_FILE_NOT_FOUND'
  | 'LOG_FILE_INVALID'
  | `REST_${number}`;

/** Whether an error (local, or deserialized from another process) carries `code`. */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
