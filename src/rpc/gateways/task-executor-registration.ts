import type { ExecutionAttemptId, JobId, ResourceId } from '../../core/ids.js';
import type { HardwareDescription, TaskExecutorMemoryConfiguration } from '../../rest/types/responses.js';

export type { HardwareDescription, TaskExecutorMemoryConfiguration } from '../../rest/types/responses.js';

/** What a TaskManager sends when it registers with the ResourceManager. */
export interface TaskExecutorRegistration {
  readonly resourceId: ResourceId;
  /** Where other TaskManagers reach its data socket (`unix:/path` or `host:port`). */
  readonly dataAddress: string;
  /** Its data socket for TaskManagers on the same host, when `dataAddress` is TCP: the fast path that stays off the network stack. */
  readonly localDataAddress?: string;
  /** Names the host and network namespace; two TaskManagers with the same key can use each other's localDataAddress. */
  readonly hostKey?: string;
  readonly numberOfSlots: number;
  readonly pid: number;
  readonly host: string;
  readonly hardware: HardwareDescription;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
}

/** The ResourceManager's answer to a registration. */
export type RegistrationResponse =
  | {
      readonly status: 'accepted';
      readonly registrationId: string;
      /** The JobManager's own resource id, the heartbeat peer. */
      readonly jobManagerId: string;
      /** With leader election: the leader session id this JobManager's messages carry. */
      readonly leaderSessionId?: string;
      readonly heartbeatIntervalMs: number;
      readonly heartbeatTimeoutMs: number;
    }
  | {
      readonly status: 'rejected';
      readonly reason: string;
      /** The TaskManager cannot be part of this cluster as configured (e.g. it cannot reach its checkpoint storage): retrying will not help. */
      readonly fatal?: boolean;
    };

/** One slot as the TaskManager sees it. */
export interface SlotStatus {
  readonly index: number;
  /** The job using the slot, if any. */
  readonly jobId: JobId | undefined;
}

/** Process resource usage, reported with heartbeats for metrics and the web UI. */
export interface ProcessStats {
  readonly cpuLoad: number;
  readonly heapUsed: number;
  readonly heapCommitted: number;
  readonly heapMax: number;
  readonly rss: number;
  readonly uptimeMs: number;
}

/** TaskManager → JobManager heartbeat payload. */
export interface TaskExecutorHeartbeatPayload {
  readonly slots: readonly SlotStatus[];
  /** Attempts running on the TaskManager, so the JobManager can reconcile. */
  readonly runningAttempts: readonly ExecutionAttemptId[];
  readonly process: ProcessStats;
}

/** JobManager → TaskManager heartbeat payload. */
export interface JobManagerHeartbeatPayload {
  /** Attempts the JobManager believes run on that TaskManager; any other is an orphan to cancel. */
  readonly expectedAttempts: readonly ExecutionAttemptId[];
}

/** Where a consumer on `consumer` dials the data endpoint of `producer`: its Unix socket when both share a host, else its dataAddress. */
export function dataAddressFor(
  producer: Pick<TaskExecutorRegistration, 'dataAddress' | 'localDataAddress' | 'hostKey'>,
  consumer: Pick<TaskExecutorRegistration, 'hostKey'> | undefined,
): string {
  const sameHost = producer.hostKey !== undefined && producer.hostKey === consumer?.hostKey;
  return sameHost && producer.localDataAddress !== undefined ? producer.localDataAddress : producer.dataAddress;
}
