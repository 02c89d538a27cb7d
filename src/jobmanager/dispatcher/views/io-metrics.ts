import type { ExecutionAttemptId, JobId, VertexId } from '../../../core/ids.js';
import type { IoMetrics } from '../../../rpc/gateways/job-view-types.js';
import type { Execution } from '../../scheduler/execution-graph/execution.js';

/** Which attempt a metrics question is about. */
export interface AttemptKey {
  readonly jobId: JobId;
  readonly vertexId: VertexId;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  readonly attemptId: ExecutionAttemptId;
}

/**
 * Where REST gets per-subtask I/O counters. The metrics subsystem implements it and registers it
 * with JobViews.setMetricsProvider; undefined means "not reported (yet)".
 */
export interface SubtaskMetricsProvider {
  ioMetrics(attempt: AttemptKey): IoMetrics | undefined;
}

/** What REST shows before anything was reported: zeros, marked incomplete. */
export const UNREPORTED_IO_METRICS: IoMetrics = Object.freeze({
  readBytes: 0,
  readBytesComplete: false,
  writeBytes: 0,
  writeBytesComplete: false,
  readRecords: 0,
  readRecordsComplete: false,
  writeRecords: 0,
  writeRecordsComplete: false,
  accumulatedBackpressuredTime: 0,
  accumulatedIdleTime: 0,
  accumulatedBusyTime: 0,
});

/** A provider that knows nothing: every subtask shows zeros. */
export const NO_METRICS: SubtaskMetricsProvider = { ioMetrics: () => undefined };

/** The counters of one attempt, zeros when the provider has none. */
export function attemptIoMetrics(provider: SubtaskMetricsProvider, jobId: JobId, execution: Execution): IoMetrics {
  return (
    provider.ioMetrics({
      jobId,
      vertexId: execution.vertex.id,
      subtaskIndex: execution.subtaskIndex,
      attemptNumber: execution.attemptNumber,
      attemptId: execution.attemptId,
    }) ?? UNREPORTED_IO_METRICS
  );
}

/** Sums counters over subtasks; a sum is complete only when every part is (and there is one). */
export function sumIoMetrics(parts: readonly IoMetrics[]): IoMetrics {
  const nonEmpty = parts.length > 0;
  let readBytes = 0,
    writeBytes = 0,
    readRecords = 0,
    writeRecords = 0,
    backpressured = 0,
    idle = 0,
    busy = 0;
  let readBytesComplete = nonEmpty,
    writeBytesComplete = nonEmpty,
    readRecordsComplete = nonEmpty,
    writeRecordsComplete = nonEmpty;
  for (const part of parts) {
    readBytes += part.readBytes;
    writeBytes += part.writeBytes;
    readRecords += part.readRecords;
    writeRecords += part.writeRecords;
    backpressured += part.accumulatedBackpressuredTime;
    idle += part.accumulatedIdleTime;
    busy += part.accumulatedBusyTime;
    readBytesComplete &&= part.readBytesComplete;
    writeBytesComplete &&= part.writeBytesComplete;
    readRecordsComplete &&= part.readRecordsComplete;
    writeRecordsComplete &&= part.writeRecordsComplete;
  }
  return {
    readBytes,
    readBytesComplete,
    writeBytes,
    writeBytesComplete,
    readRecords,
    readRecordsComplete,
    writeRecords,
    writeRecordsComplete,
    accumulatedBackpressuredTime: backpressured,
    accumulatedIdleTime: idle,
    accumulatedBusyTime: busy,
  };
}
