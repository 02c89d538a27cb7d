// TaskManager, JobManager and log-file bodies of the REST API (GET /taskmanagers, /taskmanagers/:id,
// /jobmanager/leadership, the log lists), with Flink's field names. Types only, like responses.ts.

/** What a TaskManager's machine offers, as its registration reports it (Flink's HardwareDescription). */
export interface HardwareDescription {
  readonly cpuCores: number;
  readonly physicalMemory: number;
  readonly freeMemory: number;
  readonly managedMemory: number;
}

/** Memory sizes a TaskManager was configured with, in bytes (Flink's TaskExecutorMemoryConfiguration). */
export interface TaskExecutorMemoryConfiguration {
  readonly frameworkHeap: number;
  readonly taskHeap: number;
  readonly frameworkOffHeap: number;
  readonly taskOffHeap: number;
  readonly networkMemory: number;
  readonly managedMemory: number;
  readonly jvmMetaspace: number;
  readonly jvmOverhead: number;
  readonly totalFlinkMemory: number;
  readonly totalProcessMemory: number;
}

/** A share of a TaskManager's resources, memory in MiB (Flink's ResourceProfileInfo). */
export interface ResourceProfileInfo {
  readonly cpuCores: number;
  readonly taskHeapMemory: number;
  readonly taskOffHeapMemory: number;
  readonly managedMemory: number;
  readonly networkMemory: number;
  readonly extendedResources: Readonly<Record<string, number>>;
}

/** A TaskManager row of GET /taskmanagers (Flink's TaskManagerInfo). */
export interface TaskManagerInfo {
  readonly id: string;
  readonly path: string;
  /** -1 for a TaskManager on a Unix socket. */
  readonly dataPort: number;
  readonly jmxPort: number;
  readonly timeSinceLastHeartbeat: number;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  readonly assignedTasks: number;
  readonly totalResource: ResourceProfileInfo;
  readonly freeResource: ResourceProfileInfo;
  readonly hardware: HardwareDescription;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
  readonly blocked: boolean;
}

/** GET /taskmanagers (Flink's TaskManagersInfo). */
export interface TaskManagersList {
  readonly taskmanagers: readonly TaskManagerInfo[];
}

/** The process figures of GET /taskmanagers/:id (Flink's TaskManagerMetricsInfo); the JVM-only ones are 0. */
export interface TaskManagerMetricsInfo {
  readonly heapUsed: number;
  readonly heapCommitted: number;
  readonly heapMax: number;
  readonly nonHeapUsed: number;
  readonly nonHeapCommitted: number;
  readonly nonHeapMax: number;
  readonly directCount: number;
  readonly directUsed: number;
  readonly directMax: number;
  readonly mappedCount: number;
  readonly mappedUsed: number;
  readonly mappedMax: number;
  readonly memorySegmentsAvailable: number;
  readonly memorySegmentsTotal: number;
  readonly nettyShuffleMemorySegmentsAvailable: number;
  readonly nettyShuffleMemorySegmentsUsed: number;
  readonly nettyShuffleMemorySegmentsTotal: number;
  readonly nettyShuffleMemoryAvailable: number;
  readonly nettyShuffleMemoryUsed: number;
  readonly nettyShuffleMemoryTotal: number;
  readonly garbageCollectors: readonly never[];
}

/** GET /taskmanagers/:id (Flink's TaskManagerDetailsInfo). */
export interface TaskManagerDetailsInfo extends TaskManagerInfo {
  readonly allocatedSlots: ReadonlyArray<{
    readonly jobId: string;
    readonly resource: ResourceProfileInfo;
    readonly assignedTasks: number;
  }>;
  readonly metrics: TaskManagerMetricsInfo;
}

/** GET /jobmanager/config: every explicitly set option, secrets masked. */
export type ConfigEntries = ReadonlyArray<{ readonly key: string; readonly value: string }>;

/** One file of a process's log directory. */
export interface LogFileInfo {
  readonly name: string;
  readonly size: number;
  /** Last modification, epoch ms. */
  readonly mtime: number;
}

/** GET /jobmanager/logs and /taskmanagers/:id/logs: the process's log files (Flink's LogListInfo). */
export interface LogList {
  readonly logs: readonly LogFileInfo[];
}

/**
 * GET /jobmanager/leadership (tsflink's own; Flink has no such endpoint): which JobManager leads
 * and whether the one answering does. A standby answers it itself instead of redirecting.
 */
export interface JobManagerLeadershipInfo {
  /** `NONE`, or the high-availability type that elects the leader (`zookeeper`). */
  readonly 'high-availability': string;
  /** The REST URL of the JobManager answering. */
  readonly address: string;
  readonly 'is-leader': boolean;
  /** The leader's REST URL; null while a leader election is going on. */
  readonly 'leader-address': string | null;
}
