import type { Logger } from '../../core/logging.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { ProcessingTimeService, RestoredOperatorState, TaskServices } from '../../runtime/task-contract.js';

/** The services a task hands its operators: its identity, its processing time, stdout and logger. */
export function buildTaskServices(
  tdd: TaskDeploymentDescriptor,
  taskName: string,
  processingTime: ProcessingTimeService,
  stdout: (line: string) => void,
  logger: Logger,
): TaskServices {
  return {
    jobId: tdd.jobId,
    jobName: tdd.jobName,
    vertexId: tdd.vertexId,
    taskName,
    subtaskIndex: tdd.subtaskIndex,
    parallelism: tdd.parallelism,
    maxParallelism: tdd.maxParallelism,
    attemptNumber: tdd.attemptNumber,
    processingTime,
    stdout,
    logger,
    autoWatermarkIntervalMs: tdd.autoWatermarkIntervalMs,
    checkpointingEnabled: tdd.checkpointing.enabled,
  };
}

/** Bytes of state a restore hands the operators (the restore benchmark reads them from the log). */
export function restoredBytes(restored: readonly RestoredOperatorState[]): number {
  let bytes = 0;
  for (const operator of restored) {
    for (const chunk of operator.keyGroupChunks) bytes += chunk.byteLength;
    for (const list of operator.listStates) for (const entry of list.entries) bytes += entry.byteLength;
  }
  return bytes;
}
