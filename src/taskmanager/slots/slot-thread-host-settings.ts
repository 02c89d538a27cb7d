import type { ResourceId } from '../../core/ids.js';
import type { InternalTls } from '../../security/internal-tls.js';
import type { TaskMetricsSink } from '../task-host.js';
import type { CancellationSettings } from './cancellation-watchdog.js';

/** What the host is configured with. */
export interface SlotThreadHostSettings {
  readonly resourceId: ResourceId;
  readonly numberOfSlots: number;
  /** The TaskManager's private directory; each slot thread works in its own subdirectory. */
  readonly workDir: string;
  readonly maxDataFrameBytes: number;
  readonly logLevel: string;
  readonly secret: () => Buffer;
  /** Internal TLS for the threads' data connections over TCP. */
  readonly tls?: InternalTls | undefined;
  readonly cancellation: CancellationSettings;
  /** Old-generation heap limit of each slot thread (taskmanager.memory.task.heap.size / slots); undefined: Node's own limit. */
  readonly heapPerSlotMb: number | undefined;
  readonly metrics?: TaskMetricsSink;
  /** Root of the TaskManager's local state copies; undefined when task-local recovery is off. */
  readonly localStateDir?: string | undefined;
}
