import type { OptionGroup } from '../config-option.js';
import { portNumber } from '../option-checks.js';
import { enumOption, intOption, memoryOption, stringOption } from '../option-builders.js';

export const JOB_MANAGER_RPC_ADDRESS = stringOption('jobmanager.rpc.address', {
  description: 'Host name or address under which TaskManagers and clients reach the JobManager in a cluster without high availability.',
  default: 'localhost',
  note: 'Flink has no default here (its shipped config.yaml sets localhost); tsflink defaults to localhost.',
});

export const JOB_MANAGER_RPC_PORT = intOption('jobmanager.rpc.port', {
  description: "Port of the JobManager's RPC endpoint.",
  default: 6123,
  check: portNumber,
  note: 'Bound when the cluster talks over TCP (see cluster.transport); on one host RPC runs on a Unix socket in a private runtime directory instead.',
});

export const JOB_MANAGER_BIND_HOST = stringOption('jobmanager.bind-host', {
  description: "Local address the JobManager's network endpoints bind to. When unset, all interfaces (0.0.0.0).",
});

export const JOB_MANAGER_MEMORY_PROCESS_SIZE = memoryOption('jobmanager.memory.process.size', {
  description: 'Total memory of the JobManager process.',
  default: 1600 * 1024 * 1024,
  note: 'Accepted and shown in the web UI and REST API; tsflink does not size or limit the Node.js heap from it. Flink has no default (its shipped config.yaml sets 1600m).',
});

export const JOB_MANAGER_EXECUTION_FAILOVER_STRATEGY = enumOption('jobmanager.execution.failover-strategy', ['full', 'region'], {
  description:
    'How a task failure is recovered: restart every task (full) or only the pipelined region of the failed task (region), the tasks linked to it by forward exchanges between equal parallelism.',
  default: 'region',
  note: 'Honoured by the Adaptive Scheduler (and so Reactive Mode), which in Flink always restarts everything: with region the other regions keep running, the job stays RUNNING, and the failed region restores the latest completed checkpoint. An all-to-all exchange (keyBy, rebalance) joins everything into one region, and a lost TaskManager always restarts the whole job, as it changes the parallelism. The default scheduler of tsflink restarts every task either way.',
});

/** Where the JobManager listens and how large it is said to be. */
export const JOB_MANAGER_OPTIONS: OptionGroup = {
  title: 'JobManager',
  options: [
    JOB_MANAGER_RPC_ADDRESS,
    JOB_MANAGER_RPC_PORT,
    JOB_MANAGER_BIND_HOST,
    JOB_MANAGER_MEMORY_PROCESS_SIZE,
    JOB_MANAGER_EXECUTION_FAILOVER_STRATEGY,
  ],
};
