import type { JobId, ResourceId } from '../../core/ids.js';
import type { ThreadDumpSource } from './thread-dump.js';
import type { LogFileSource } from './log-files.js';
import type { HardwareDescription, ProcessStats, TaskExecutorMemoryConfiguration } from './task-executor-registration.js';
import type { JobGateway } from './job-gateway.js';

/** Counts behind REST `/overview`. */
export interface ClusterOverview {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly jobsRunning: number;
  readonly jobsFinished: number;
  readonly jobsCancelled: number;
  readonly jobsFailed: number;
}

/** One slot of a TaskManager that a job holds. */
export interface AllocatedSlotInfo {
  readonly index: number;
  readonly jobId: JobId;
  /** Subtasks deployed into the slot. */
  readonly assignedTasks: number;
}

/** A registered TaskManager as REST `/taskmanagers` and the web UI show it. */
export interface TaskManagerDetails {
  readonly resourceId: ResourceId;
  /** Where the JobManager reaches it; Flink shows the RPC path here. */
  readonly path: string;
  readonly dataAddress: string;
  readonly registeredAt: number;
  readonly lastHeartbeat: number;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  readonly allocatedSlots: readonly AllocatedSlotInfo[];
  readonly hardware: HardwareDescription;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
  readonly process: ProcessStats | undefined;
}

/**
 * The JobManager's in-process surface for REST handlers and the web UI: they read the cluster
 * through it and never touch the scheduler or the ResourceManager directly.
 */
export interface DispatcherGateway {
  requestClusterOverview(): ClusterOverview;
  requestTaskManagers(): readonly TaskManagerDetails[];
  requestTaskManager(resourceId: ResourceId): TaskManagerDetails | undefined;
  /** Questions and commands about jobs. */
  readonly jobGateway: JobGateway;
  /** The JobManager's own log directory. */
  readonly jobManagerLogs: LogFileSource;
  /** A registered TaskManager's log directory, read through its gateway; undefined for an unknown id. */
  taskManagerLogs(resourceId: ResourceId): LogFileSource | undefined;
  /** The JobManager's own threads. */
  readonly jobManagerThreads: ThreadDumpSource;
  /** A registered TaskManager's threads, read through its gateway; undefined for an unknown id. */
  taskManagerThreads(resourceId: ResourceId): ThreadDumpSource | undefined;
}
