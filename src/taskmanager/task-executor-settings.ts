/** What a TaskExecutor is started with: its settings, slot-thread options, and the events it reports to its process. */
import type { ResourceId } from '../core/ids.js';
import type { ClusterNetwork } from '../rpc/cluster-network.js';
import type { SecretSource } from '../rpc/cluster-secret.js';
import type { ClusterRuntime } from '../rpc/cluster-runtime.js';
import type { TaskExecutorMemoryConfiguration } from '../rpc/gateways/task-executor-registration.js';
import type { ConnectorSettings, LeaderSource } from './job-manager-connector.js';
import type { CancellationSettings } from './slots/cancellation-watchdog.js';

/** What a TaskExecutor is told at start. */
export interface TaskExecutorSettings {
  readonly resourceId: ResourceId;
  readonly host: string;
  readonly numberOfSlots: number;
  readonly runtime: ClusterRuntime;
  /** How this TaskManager reaches the JobManager and serves data: Unix sockets, or TCP with or without TLS. */
  readonly network: ClusterNetwork;
  readonly secret: SecretSource;
  readonly connector: ConnectorSettings;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
  /** taskmanager.network.max-frame-size: the largest data frame sent or accepted. */
  readonly maxDataFrameBytes?: number;
  /** When set, each slot's tasks run on their own thread (taskmanager.slot-threads.enabled); else on this event loop. */
  readonly slotThreads?: SlotThreadOptions;
  /** Under leader election: the leading JobManager, followed through ZooKeeper. */
  readonly leader?: LeaderSource;
  /**
   * Task-local recovery (execution.state-recovery.from-local): the first of taskmanager.state.local.root-dirs,
   * or '' for the TaskManager's working directory; undefined when it is off.
   */
  readonly localStateRoot?: string | undefined;
  /** taskmanager.graceful-stop.timeout: how long a stop waits for the jobs to move off this TaskManager; 0 or unset: not at all. */
  readonly gracefulStopTimeoutMs?: number;
}

/** How slot threads are run: their cancellation watchdog, heap bound and log level. */
export interface SlotThreadOptions {
  readonly cancellation: CancellationSettings;
  readonly heapPerSlotMb: number | undefined;
  readonly logLevel: string;
}

/** How the TaskExecutor reports its life to the process around it. */
export interface TaskExecutorEvents {
  onFirstRegistration(): void;
  onWaitingForJobManager(reason: string): void;
  /** No JobManager within the registration timeout: the process should end. */
  onFatal(message: string): void;
}
