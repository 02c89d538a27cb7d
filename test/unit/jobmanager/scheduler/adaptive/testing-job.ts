import { Socket } from 'node:net';
import { LogDirectory } from '../../../../../src/daemon/log-directory.js';
import type { SerializedError } from '../../../../../src/core/errors.js';
import type { OperatorId, VertexId } from '../../../../../src/core/ids.js';
import { newAllocationId } from '../../../../../src/core/ids.js';
import { configureLogging, MemoryLogSink } from '../../../../../src/core/logging.js';
import type { JobGraph, JobGraphSettings, JobVertex, ShipStrategy } from '../../../../../src/jobgraph/job-graph.js';
import { GENERIC_TYPE } from '../../../../../src/jobgraph/type-descriptor.js';
import { RegisteredTaskManager } from '../../../../../src/jobmanager/resourcemanager/registered-task-manager.js';
import { requiredSlots } from '../../../../../src/jobmanager/scheduler/deployment/slot-sharing.js';
import { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import type { Allocation } from '../../../../../src/jobmanager/slotpool/slot-pool.js';
import { FrameDecoder } from '../../../../../src/rpc/frame-decoder.js';
import type { CheckpointTrigger } from '../../../../../src/rpc/gateways/checkpoint-messages.js';
import type { TaskDeploymentDescriptor } from '../../../../../src/rpc/gateways/task-deployment-descriptor.js';
import type { StorageProbeReply, TaskExecutorGateway } from '../../../../../src/rpc/gateways/task-executor-gateway.js';
import { RpcConnection } from '../../../../../src/rpc/rpc-connection.js';
import { TestingGraphDeployment } from '../../../../helpers/testing-state-context.js';
import type { ThreadInfo } from '../../../../../src/rpc/gateways/thread-dump.js';
import { asJobId, asResourceId } from '../../../../helpers/ids.js';

/** A TaskManager without a log directory (it logs to its console). */
const NO_LOGS = LogDirectory.of(undefined);

/** Keeps scheduler logs out of the test output (and lets a test read them). */
export function captureLogs(): MemoryLogSink {
  const sink = new MemoryLogSink();
  configureLogging(sink, 'DEBUG');
  return sink;
}

/** One vertex of a test job; bounds default to "not set" (-1) and the default slot sharing group. */
export interface VertexSpec {
  readonly name: string;
  readonly parallelism?: number;
  readonly maxParallelism?: number;
  readonly slotSharingGroup?: string;
}

/** A job of `specs` in order, each consuming the previous one over a REBALANCE edge. */
export function testingJobGraph(specs: readonly VertexSpec[], settings: Partial<JobGraphSettings> = {}): JobGraph {
  const vertices: JobVertex[] = specs.map((spec, index) => ({
    id: spec.name as VertexId,
    name: spec.name,
    parallelism: spec.parallelism ?? -1,
    maxParallelism: spec.maxParallelism ?? -1,
    slotSharingGroup: spec.slotSharingGroup ?? 'default',
    operators: [
      { id: `${spec.name}-op` as OperatorId, uid: undefined, name: spec.name, kind: index === 0 ? 'source' : 'map', keyed: false },
    ],
    inputs:
      index === 0
        ? []
        : [
            {
              source: specs[index - 1]!.name as VertexId,
              target: spec.name as VertexId,
              shipStrategy: 'REBALANCE',
              inputIndex: 0,
              type: GENERIC_TYPE,
            },
          ],
    isSource: index === 0,
  }));
  return {
    jobName: 'testing job',
    jobType: 'STREAMING',
    vertices,
    settings: {
      parallelism: -1,
      maxParallelism: -1,
      autoWatermarkIntervalMs: 200,
      checkpointIntervalMs: undefined,
      bufferTimeoutMs: 100,
      programArgs: [],
      ...settings,
    },
    fingerprint: 'testing',
  };
}

/** `graph` with the edges into `target` shipped by `strategy` (FORWARD makes them pointwise at equal parallelism). */
export function withShipStrategy(graph: JobGraph, target: string, strategy: ShipStrategy): JobGraph {
  return {
    ...graph,
    vertices: graph.vertices.map((v) =>
      v.id === target ? { ...v, inputs: v.inputs.map((edge) => ({ ...edge, shipStrategy: strategy })) } : v,
    ),
  };
}

/** A TaskManager's gateway that accepts every task and records what the JobManager asked. */
export class TestingTaskExecutorGateway implements TaskExecutorGateway {
  readonly submitted: TaskDeploymentDescriptor[] = [];
  readonly canceled: string[] = [];
  readonly triggers: CheckpointTrigger[] = [];

  requestHeartbeat(): void {}
  disconnectResourceManager(): void {}
  releaseJob(): void {}
  notifyCheckpointComplete(): void {}
  notifyCheckpointAborted(): void {}
  async probeStorage(): Promise<StorageProbeReply> {
    return { ok: true };
  }
  requestLogList = NO_LOGS.requestLogList;
  requestLogChunk = NO_LOGS.requestLogChunk;
  requestLogNames = NO_LOGS.requestLogNames;
  requestThreadDump = (): Promise<readonly ThreadInfo[]> =>
    Promise.resolve([{ threadName: 'main', stringifiedThreadInfo: '"main" Id=0 RUNNABLE\n' }]);
  triggerCheckpoint(trigger: CheckpointTrigger): void {
    this.triggers.push(trigger);
  }
  async submitTask(deployment: TaskDeploymentDescriptor): Promise<void> {
    this.submitted.push(deployment);
  }
  async cancelTask(attemptId: string): Promise<void> {
    this.canceled.push(attemptId);
  }
}

let taskManagerCount = 0;

/** A registered TaskManager with `slots` slots, reached through a recording gateway; no process behind it. */
export function testingTaskManager(slots: number): { taskManager: RegisteredTaskManager; gateway: TestingTaskExecutorGateway } {
  const resourceId = asResourceId(`tm-${++taskManagerCount}`);
  const gateway = new TestingTaskExecutorGateway();
  const registration = {
    resourceId,
    dataAddress: `unix:/tmp/${resourceId}.sock`,
    numberOfSlots: slots,
    pid: 0,
    host: 'localhost',
    hardware: { cpuCores: 1, physicalMemory: 0, freeMemory: 0, managedMemory: 0 },
    memoryConfiguration: {
      frameworkHeap: 0,
      taskHeap: 0,
      frameworkOffHeap: 0,
      taskOffHeap: 0,
      networkMemory: 0,
      managedMemory: 0,
      jvmMetaspace: 0,
      jvmOverhead: 0,
      totalFlinkMemory: 0,
      totalProcessMemory: 0,
    },
  };
  // An unconnected socket: the connection counts as open, and nothing is ever sent over it.
  const connection = new RpcConnection(new Socket(), new FrameDecoder(1024), { role: 'taskmanager', id: resourceId });
  return { taskManager: new RegisteredTaskManager(registration, `registration-${resourceId}`, connection, gateway), gateway };
}

/**
 * A graph of one vertex per key (a chain, in key order) at the given parallelism, max parallelism
 * 128; the inputs of the vertices named in `forward` are FORWARD edges, the others REBALANCE.
 */
export function testingExecutionGraph(
  parallelism: Readonly<Record<string, number>>,
  attemptNumber = 0,
  forward: readonly string[] = [],
): ExecutionGraph {
  const graph = forward.reduce(
    (job, target) => withShipStrategy(job, target, 'FORWARD'),
    testingJobGraph(Object.keys(parallelism).map((name) => ({ name }))),
  );
  const plan = new Map(Object.entries(parallelism).map(([name, p]) => [name, { parallelism: p, maxParallelism: 128 }]));
  return new ExecutionGraph(asJobId('job'), graph, plan, attemptNumber);
}

/** A TestingGraphDeployment of a fresh graph (see testingExecutionGraph), its slots on one testing TaskManager. */
export function testingDeployment(
  parallelism: Readonly<Record<string, number>> = { source: 2, sink: 2 },
  forward: readonly string[] = [],
): TestingGraphDeployment {
  const graph = testingExecutionGraph(parallelism, 0, forward);
  const { taskManager } = testingTaskManager(requiredSlots(graph));
  const allocations: Allocation[] = Array.from({ length: requiredSlots(graph) }, (_, slotIndex) => ({
    allocationId: newAllocationId(),
    jobId: asJobId('job'),
    taskManager,
    slotIndex,
  }));
  return new TestingGraphDeployment(graph, allocations);
}

/** A serialized error as states pass them around. */
export function testingError(message: string, name = 'Error'): SerializedError {
  return { name, message, stack: `${name}: ${message}` };
}
