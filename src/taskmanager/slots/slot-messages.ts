import type { InternalTls } from '../../security/internal-tls.js';
import type { ExecutionAttemptId, ResourceId } from '../../core/ids.js';
import type { MessagePort } from 'node:worker_threads';
import type { TaskIdentity } from '../../metrics/task-metrics.js';
import type { CheckpointTrigger } from '../../rpc/gateways/checkpoint-messages.js';
import type { JobMasterGateway } from '../../rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';

/** The JobMaster calls a slot thread makes through the TaskManager's connection. */
export const RELAYED_JOB_MASTER_CALLS = [
  'updateTaskExecutionState',
  'requestJobArchive',
  'acknowledgeCheckpoint',
  'declineCheckpoint',
  'reportFirstActivity',
] as const satisfies ReadonlyArray<keyof JobMasterGateway>;

/** One of RELAYED_JOB_MASTER_CALLS. */
export type RelayedJobMasterCall = (typeof RELAYED_JOB_MASTER_CALLS)[number];

/** What a slot thread is started with. */
export interface SlotThreadData {
  readonly resourceId: ResourceId;
  readonly slotIndex: number;
  readonly numberOfSlots: number;
  /** The slot's own directory: job code and local files of its tasks. */
  readonly workDir: string;
  readonly secret: Uint8Array;
  /** Internal TLS for data connections to other TaskManagers over TCP, when it is on. */
  readonly tls: InternalTls | undefined;
  readonly maxDataFrameBytes: number;
  readonly logLevel: string;
  /** How often the thread sends its tasks' counters to the TaskManager's metrics. */
  readonly metricsIntervalMs: number;
  /** The TaskManager's local state copies, shared by its slot threads and kept across them. */
  readonly localStateDir: string | undefined;
}

/** A task's counters and clocks at one instant, as the TaskManager's metrics read them. */
export interface TaskCounterSnapshot {
  readonly attemptId: ExecutionAttemptId;
  readonly numRecordsIn: number;
  readonly numRecordsOut: number;
  readonly numBytesIn: number;
  readonly numBytesOut: number;
  readonly busyMs: number;
  readonly idleMs: number;
  readonly backPressuredMs: number;
  readonly isBackPressured: boolean;
  readonly currentInputWatermark: number;
  readonly currentOutputWatermark: number;
  readonly pendingRecords: number | undefined;
  /** Records a source chain's reader emitted (0 for other tasks). */
  readonly sourceRecords: number;
  readonly restoredBytesLocal: number;
  readonly restoredBytesFromStorage: number;
}

/** From the TaskManager's main thread to a slot thread. */
export type ToSlot =
  | { readonly type: 'submit'; readonly tdd: TaskDeploymentDescriptor }
  | { readonly type: 'cancel'; readonly attemptId: ExecutionAttemptId }
  | { readonly type: 'trigger-checkpoint'; readonly trigger: CheckpointTrigger }
  | { readonly type: 'checkpoint-complete'; readonly attemptId: ExecutionAttemptId; readonly checkpointId: number }
  | { readonly type: 'checkpoint-aborted'; readonly attemptId: ExecutionAttemptId; readonly checkpointId: number }
  /** Serve the partition requests arriving on this port (another slot, or a relayed TaskManager). */
  | { readonly type: 'serve-link'; readonly port: MessagePort }
  | { readonly type: 'reply'; readonly call: number; readonly value?: unknown; readonly error?: string }
  | { readonly type: 'secret'; readonly secret: Uint8Array }
  /** The thread is about to be ended: answer once everything its tasks printed reached the main thread. */
  | { readonly type: 'drain-output' };

/** From a slot thread to the TaskManager's main thread. */
export type FromSlot =
  | { readonly type: 'call'; readonly call: number; readonly method: RelayedJobMasterCall; readonly args: readonly unknown[] }
  /** Connect this port to the thread of `slot` (same job), which serves the partitions produced there. */
  | { readonly type: 'open-link'; readonly slot: number; readonly port: MessagePort }
  /** A cancel has run its course: the attempt stopped, or was dropped before it started (which reports no state). */
  | { readonly type: 'canceled'; readonly attemptId: ExecutionAttemptId }
  | { readonly type: 'task-added'; readonly identity: TaskIdentity }
  | { readonly type: 'task-removed'; readonly attemptId: ExecutionAttemptId }
  /** `at`: epoch milliseconds when the counters were read. */
  | { readonly type: 'metrics'; readonly at: number; readonly tasks: readonly TaskCounterSnapshot[] }
  /** The answer to 'drain-output'. */
  | { readonly type: 'output-drained' };
