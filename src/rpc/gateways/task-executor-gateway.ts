import type { ExecutionAttemptId, JobId } from '../../core/ids.js';
import type { GatewaySpec } from '../gateway.js';
import type { CheckpointTrigger } from './checkpoint-messages.js';
import type { LogFileSource } from './log-files.js';
import type { ThreadDumpSource } from './thread-dump.js';
import type { TaskDeploymentDescriptor } from './task-deployment-descriptor.js';
import type { JobManagerHeartbeatPayload } from './task-executor-registration.js';

/** A TaskManager's RPC surface, called by the JobManager over the TaskManager's connection; it serves its own log files and thread dump too. */
export interface TaskExecutorGateway extends LogFileSource, ThreadDumpSource {
  /** The JobManager's periodic heartbeat request. */
  requestHeartbeat(jobManagerId: string, payload: JobManagerHeartbeatPayload): void;
  /** The JobManager dropped this TaskManager (e.g. after a heartbeat timeout); it should register again. */
  disconnectResourceManager(reason: string): void;
  /** Starts one attempt of a subtask in the given slot; resolves once it is accepted (not finished). */
  submitTask(deployment: TaskDeploymentDescriptor): Promise<void>;
  /** Cancels an attempt; resolves when the task has stopped (or was not there). */
  cancelTask(attemptId: ExecutionAttemptId): Promise<void>;
  /** The job left this TaskManager: free its slots and forget its code. */
  releaseJob(jobId: JobId): void;
  /** Starts a checkpoint at a source subtask: it snapshots and sends the barrier downstream. */
  triggerCheckpoint(trigger: CheckpointTrigger): void;
  /** A checkpoint completed: its side effects (commits) may happen now. */
  notifyCheckpointComplete(attemptId: ExecutionAttemptId, checkpointId: number): void;
  /** A checkpoint will not complete; resources held for it can go. */
  notifyCheckpointAborted(attemptId: ExecutionAttemptId, checkpointId: number): void;
  /** Writes `token` to `path` (creating its directory), so the JobManager can check it reads what this TaskManager writes. */
  probeStorage(path: string, token: string): Promise<StorageProbeReply>;
}

/** How a TaskManager's write of a storage probe went. */
export type StorageProbeReply = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const TASK_EXECUTOR_GATEWAY: GatewaySpec<TaskExecutorGateway> = {
  name: 'taskExecutor',
  methods: {
    requestHeartbeat: 'notification',
    disconnectResourceManager: 'notification',
    submitTask: 'request',
    cancelTask: 'request',
    releaseJob: 'notification',
    triggerCheckpoint: 'notification',
    notifyCheckpointComplete: 'notification',
    notifyCheckpointAborted: 'notification',
    requestLogList: 'request',
    requestLogChunk: 'request',
    requestLogNames: 'request',
    requestThreadDump: 'request',
    probeStorage: 'request',
  },
  timeouts: { submitTask: 60_000, cancelTask: 30_000 },
};
