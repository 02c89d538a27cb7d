import { JOB_MASTER_GATEWAY } from '../../src/rpc/gateways/job-master-gateway.js';
import { RESOURCE_MANAGER_GATEWAY } from '../../src/rpc/gateways/resource-manager-gateway.js';
import type { TaskExecutorRegistration } from '../../src/rpc/gateways/task-executor-registration.js';
import { randomJson } from './mutators.js';
import type { Prng } from './prng.js';
import { asResourceId } from '../helpers/ids.js';

/** What a fuzzer knows about the cluster, so well-formed arguments reach real jobs and vertices. */
export interface RpcFuzzContext {
  readonly jobId: string;
  readonly vertexIds: readonly string[];
  /** The resource id this input registered (or pretends to be). */
  readonly resourceId: string;
}

/** A registration the ResourceManager accepts. */
export function validRegistration(rng: Prng, resourceId: string): TaskExecutorRegistration {
  return {
    resourceId: asResourceId(resourceId),
    dataAddress: `unix:/tmp/fuzz-${rng.string(8)}.sock`,
    numberOfSlots: rng.int(1, 4),
    pid: rng.int(2, 4_000_000),
    host: 'localhost',
    hardware: { cpuCores: 2, physicalMemory: 1 << 30, freeMemory: 1 << 29, managedMemory: 1 << 27 },
    memoryConfiguration: {
      frameworkHeap: 1,
      taskHeap: 2,
      frameworkOffHeap: 3,
      taskOffHeap: 4,
      networkMemory: 5,
      managedMemory: 6,
      jvmMetaspace: 7,
      jvmOverhead: 8,
      totalFlinkMemory: 9,
      totalProcessMemory: 10,
    },
  };
}

function heartbeatPayload(rng: Prng, ctx: RpcFuzzContext): unknown {
  return {
    slots: [{ index: 0, jobId: rng.chance(0.5) ? ctx.jobId : undefined }],
    runningAttempts: [rng.hexId()],
    process: { cpuLoad: 0.5, heapUsed: 1, heapCommitted: 2, heapMax: 3, rss: 4, uptimeMs: 5 },
  };
}

const STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
];

function subtaskState(rng: Prng, ctx: RpcFuzzContext): unknown {
  const slice = rng.chance(0.7)
    ? { kind: 'inline', bytes: new Uint8Array(rng.bytes(rng.size(64))) }
    : { kind: 'file', path: `/tmp/fuzz-${rng.string(6)}`, offset: rng.int(0, 100), length: rng.int(0, 100), crc32: rng.next() };
  return {
    operators: [
      {
        operatorId: rng.pick(ctx.vertexIds),
        keyGroups: { start: rng.int(0, 127), slices: [slice, null] },
        listStates: [{ name: 'fuzz', mode: rng.pick(['SPLIT_DISTRIBUTE', 'UNION', 'BROADCAST']), entries: [slice] }],
      },
    ],
    stateSize: rng.int(0, 1000),
    alignmentDurationMs: 0,
    syncDurationMs: 1,
    asyncDurationMs: 2,
  };
}

/** One method the JobManager serves to TaskManagers, its kind, and well-formed arguments for it. */
export interface RpcMethodTemplate {
  readonly method: string;
  readonly kind: 'request' | 'notification';
  args(rng: Prng, ctx: RpcFuzzContext): unknown[];
}

type ArgsBuilder = (rng: Prng, ctx: RpcFuzzContext) => unknown[];

/** Well-formed arguments per method; a method added to a gateway without one here is fuzzed with random JSON. */
const VALID_ARGS: Readonly<Record<string, ArgsBuilder>> = {
  'resourceManager.registerTaskExecutor': (rng, ctx) => [validRegistration(rng, ctx.resourceId)],
  'resourceManager.disconnectTaskManager': (rng, ctx) => [ctx.resourceId, `fuzz ${rng.string(8)}`],
  'resourceManager.receiveHeartbeat': (rng, ctx) => [ctx.resourceId, heartbeatPayload(rng, ctx)],
  'jobMaster.updateTaskExecutionState': (rng, ctx) => [
    {
      jobId: ctx.jobId,
      attemptId: rng.hexId(),
      state: rng.pick(STATES),
      ...(rng.chance(0.3) ? { error: { name: 'Error', message: 'fuzz', stack: 'fuzz' } } : {}),
      ...(rng.chance(0.2) ? { recordsSinceCheckpoint: rng.int(0, 100) } : {}),
      ...(rng.chance(0.3) ? { lastRecordAt: Date.now() - rng.int(0, 5000), idleAtEnd: rng.chance(0.5) } : {}),
    },
  ],
  'jobMaster.reportFirstActivity': (rng, ctx) => [
    { jobId: ctx.jobId, attemptId: rng.hexId(), at: Date.now() - rng.int(0, 5000), kind: rng.pick(['record', 'idle'] as const) },
  ],
  'jobMaster.requestJobArchive': (rng, ctx) => [rng.chance(0.8) ? ctx.jobId : rng.hexId()],
  'jobMaster.acknowledgeCheckpoint': (rng, ctx) => [
    { jobId: ctx.jobId, attemptId: rng.hexId(), checkpointId: rng.int(1, 20), state: subtaskState(rng, ctx) },
  ],
  'jobMaster.declineCheckpoint': (rng, ctx) => [
    {
      jobId: rng.chance(0.8) ? ctx.jobId : rng.hexId(),
      attemptId: rng.hexId(),
      checkpointId: rng.int(1, 20),
      reason: 'fuzz',
      ...(rng.chance(0.5) ? { notReady: true } : {}),
    },
  ],
  'jobMaster.reportTaskMetrics': (rng, ctx) => [
    {
      jobId: ctx.jobId,
      resourceId: ctx.resourceId,
      tasks: [
        {
          vertexId: rng.pick(ctx.vertexIds),
          subtaskIndex: rng.int(0, 3),
          attemptNumber: rng.int(0, 3),
          attemptId: rng.hexId(),
          metrics: { numRecordsIn: rng.int(0, 1000), busyTimeMsPerSecond: rng.int(0, 1000) },
          operators: [{ id: rng.hexId(), name: 'fuzz', metrics: { numRecordsOut: rng.int(0, 1000) } }],
        },
      ],
    },
  ],
};

/** Every method the JobManager's socket serves to a TaskManager (read from the gateway specs), with arguments it would accept. */
export const JOB_MANAGER_METHODS: readonly RpcMethodTemplate[] = [RESOURCE_MANAGER_GATEWAY, JOB_MASTER_GATEWAY].flatMap((spec) =>
  Object.entries(spec.methods as Readonly<Record<string, 'request' | 'notification'>>).map(([name, kind]) => {
    const method = `${spec.name}.${name}`;
    return { method, kind, args: VALID_ARGS[method] ?? ((rng: Prng) => [randomJson(rng, 3)]) };
  }),
);

/** Method names no gateway serves, or served under another kind or to another role. */
export const UNKNOWN_METHODS: readonly string[] = [
  'resourceManager.nope',
  'jobMaster.__proto__',
  'resourceManager.constructor',
  'resourceManager.hasOwnProperty',
  'jobMaster.toString',
  'taskExecutor.submitTask',
  'dispatcher.requestClusterOverview',
  '',
  '.',
  'jobMaster.',
  '.registerTaskExecutor',
  'resourceManager..x',
  '__proto__.registerTaskExecutor',
  'constructor.constructor',
  'resourceManager.registerTaskExecutor.extra',
];
