import type { OptionGroup } from '../config-option.js';
import { durationAtLeast, inRange, portNumber, portSpec, positiveDuration } from '../option-checks.js';
import { booleanOption, durationOption, intOption, memoryOption, stringOption } from '../option-builders.js';

/** The most slots one TaskManager may offer; the JobManager refuses a registration with more. */
export const MAX_SLOTS_PER_TASK_MANAGER = 10_000;

export const TASK_MANAGER_NUM_TASK_SLOTS = intOption('taskmanager.numberOfTaskSlots', {
  description:
    "How many slots a TaskManager offers (at most 10000). A slot holds one subtask of each vertex of a job, so a job's parallelism is bounded by the number of slots in the cluster.",
  default: 1,
  check: inRange(1, MAX_SLOTS_PER_TASK_MANAGER),
});

export const TASK_MANAGER_HOST = stringOption('taskmanager.host', {
  description:
    'Address under which other processes reach this TaskManager (its data port and REST display). When unset, the local host name is used.',
});

export const TASK_MANAGER_BIND_HOST = stringOption('taskmanager.bind-host', {
  description: "Local address the TaskManager's network endpoints bind to. When unset, all interfaces (0.0.0.0).",
});

export const TASK_MANAGER_RESOURCE_ID = stringOption('taskmanager.resource-id', {
  description: 'Fixed id of the TaskManager, as shown by the REST API. When unset, one is made from its address, port and a random suffix.',
});

export const TASK_MANAGER_REGISTRATION_TIMEOUT = durationOption('taskmanager.registration.timeout', {
  description: 'A TaskManager that cannot register with a ResourceManager for this long shuts itself down.',
  default: 5 * 60_000,
  check: positiveDuration,
});

export const TASK_MANAGER_DATA_PORT = intOption('taskmanager.data.port', {
  description: 'Port on which the TaskManager exchanges records with other TaskManagers; 0 picks a free port.',
  default: 0,
  check: portNumber,
});

export const TASK_MANAGER_RPC_PORT = stringOption('taskmanager.rpc.port', {
  description: "Port, range (50100-50200) or list of ports of the TaskManager's RPC endpoint; 0 picks a free port.",
  default: '0',
  check: portSpec,
  note: "Accepted and checked, but no port is bound: a tsflink TaskManager's RPC rides on the connection it opens to the JobManager, so only the data port must be reachable from other hosts.",
});

export const TASK_MANAGER_MEMORY_PROCESS_SIZE = memoryOption('taskmanager.memory.process.size', {
  description: 'Total memory of a TaskManager process.',
  default: 1728 * 1024 * 1024,
  note: 'Accepted and shown in the web UI and REST API; tsflink does not size or limit the Node.js heap from it. Flink has no default (its shipped config.yaml sets 1728m).',
});

/** Largest data frame between TaskManagers; one serialized record must fit in one. */
export const TASK_MANAGER_NETWORK_MAX_FRAME_SIZE = memoryOption('taskmanager.network.max-frame-size', {
  description:
    'Largest frame of records one TaskManager sends another. Batches are cut well below it (at about 1 MiB), so it bounds the size of a single serialized record: a larger record fails its job, naming this option. Every TaskManager of a cluster must use the same value.',
  default: 64 * 1024 * 1024,
  check: (bytes) => (bytes >= 1024 * 1024 && bytes <= 1024 * 1024 * 1024 ? undefined : 'expected a size from 1 mb to 1 gb'),
  note: 'tsflink only: Flink splits a record across network buffers instead.',
});

export const TASK_MANAGER_MEMORY_TASK_HEAP_SIZE = memoryOption('taskmanager.memory.task.heap.size', {
  description:
    "Heap for the tasks of a TaskManager. Each slot's thread may use this divided by taskmanager.numberOfTaskSlots (its V8 old generation); a task that needs more fails alone, and the TaskManager keeps running. When unset, a slot's thread may grow to Node's own heap limit.",
  check: (bytes) => (bytes >= 16 * 1024 * 1024 ? undefined : 'expected at least 16 mb'),
  note: 'Flink derives it from taskmanager.memory.process.size when unset; tsflink bounds the heap only when it is set.',
});

export const TASK_MANAGER_SLOT_THREADS = booleanOption('taskmanager.slot-threads.enabled', {
  description:
    "Run each slot's tasks on their own thread, so a TaskManager with N slots uses N cores and user code never holds up its heartbeats, RPC or cancellation. false runs every task on the TaskManager's one event loop.",
  default: true,
  note: 'tsflink only: Flink always runs each task on its own thread.',
});

export const TASK_MANAGER_GRACEFUL_STOP_TIMEOUT = durationOption('taskmanager.graceful-stop.timeout', {
  description:
    "How long a TaskManager that is stopped on purpose (taskmanager.sh stop, SIGTERM) while running tasks keeps running them, so the JobManager can take a checkpoint and rescale the job off it without replaying anything. If that has not happened in time (or the job has no checkpointing), it stops as before and its tasks fail over. 0 ms stops at once. The default leaves room inside a container runtime's usual 10 s stop grace period.",
  default: 5_000,
  note: 'tsflink only: Flink fails the tasks of a TaskManager that is stopped.',
});

/** Time beyond taskmanager.graceful-stop.timeout for the JobManager's answer: after its checkpoint, the tasks there are canceled. */
export const GRACEFUL_STOP_ANSWER_GRACE_MS = 2_000;

/** The longest a stopped TaskManager waits for its jobs to move off it before shutting down as before (0: not at all). */
export function gracefulStopWindowMs(timeoutMs: number): number {
  return timeoutMs > 0 ? timeoutMs + GRACEFUL_STOP_ANSWER_GRACE_MS : 0;
}

export const TASK_CANCELLATION_INTERVAL = durationOption('task.cancellation.interval', {
  description: 'How often a task that has not stopped after a cancel is asked again, with a warning in the log.',
  default: 30_000,
  check: positiveDuration,
});

export const TASK_CANCELLATION_TIMEOUT = durationOption('task.cancellation.timeout', {
  description:
    "After a cancel, how long a task may take to stop before its slot's thread is terminated and the slot freed; 0 waits forever. Flink stops the whole TaskManager instead; tsflink keeps it running.",
  default: 180_000,
  check: durationAtLeast(0),
});

/** Slots, identity and registration of TaskManagers. */
export const TASK_MANAGER_OPTIONS: OptionGroup = {
  title: 'TaskManager',
  options: [
    TASK_MANAGER_NUM_TASK_SLOTS,
    TASK_MANAGER_HOST,
    TASK_MANAGER_BIND_HOST,
    TASK_MANAGER_RESOURCE_ID,
    TASK_MANAGER_REGISTRATION_TIMEOUT,
    TASK_MANAGER_DATA_PORT,
    TASK_MANAGER_RPC_PORT,
    TASK_MANAGER_MEMORY_PROCESS_SIZE,
    TASK_MANAGER_NETWORK_MAX_FRAME_SIZE,
    TASK_MANAGER_MEMORY_TASK_HEAP_SIZE,
    TASK_MANAGER_SLOT_THREADS,
    TASK_MANAGER_GRACEFUL_STOP_TIMEOUT,
    TASK_CANCELLATION_INTERVAL,
    TASK_CANCELLATION_TIMEOUT,
  ],
};
