import type {
  InputGateDescriptor,
  ResultPartitionDescriptor,
  TaskCheckpointSettings,
  TaskDeploymentDescriptor,
  TaskRestoreDescriptor,
} from '../../../rpc/gateways/task-deployment-descriptor.js';
import type { Execution } from '../execution-graph/execution.js';
import { isPointwise, type ExecutionGraph } from '../execution-graph/execution-graph.js';
import type { ExecutionJobVertex } from '../execution-graph/execution-job-vertex.js';
import { dataAddressFor } from '../../../rpc/gateways/task-executor-registration.js';

/** Settings every deployment of a run shares. */
export interface DeploymentSettings {
  readonly jobName: string;
  readonly checkpointing: TaskCheckpointSettings;
  readonly bufferTimeoutMs: number;
  readonly autoWatermarkIntervalMs: number;
}

/** Builds the deployment descriptor of one execution of a run whose slots are assigned. */
export function buildDeployment(
  graph: ExecutionGraph,
  execution: Execution,
  settings: DeploymentSettings,
  restore: TaskRestoreDescriptor | undefined,
): TaskDeploymentDescriptor {
  const vertex = execution.vertex;
  const allocation = execution.allocation;
  if (allocation === undefined) throw new Error(`${execution.taskName} has no slot`);
  return {
    jobId: graph.jobId,
    jobName: settings.jobName,
    vertexId: vertex.id,
    vertexName: vertex.jobVertex.name,
    subtaskIndex: execution.subtaskIndex,
    parallelism: vertex.parallelism,
    maxParallelism: vertex.maxParallelism,
    attemptId: execution.attemptId,
    attemptNumber: execution.attemptNumber,
    slotIndex: allocation.slotIndex,
    allocationId: allocation.allocationId,
    fingerprint: graph.jobGraph.fingerprint,
    inputs: inputsOf(graph, execution),
    outputs: outputsOf(graph, vertex),
    restore,
    checkpointing: settings.checkpointing,
    bufferTimeoutMs: settings.bufferTimeoutMs,
    autoWatermarkIntervalMs: settings.autoWatermarkIntervalMs,
  };
}

function inputsOf(graph: ExecutionGraph, execution: Execution): InputGateDescriptor[] {
  return execution.vertex.jobVertex.inputs.map((edge) => {
    const producer = graph.vertex(edge.source);
    if (producer === undefined) throw new Error(`edge from unknown vertex ${edge.source}`);
    const partitionIndex = graph.outEdges(producer.jobVertex).find((out) => out.edge === edge)!.edgeIndex;
    const pointwise = isPointwise(producer, execution.vertex, edge);
    const producers = graph.producersOn(execution, edge);
    return {
      edge,
      channels: producers.map((p) => ({
        producerAttemptId: p.attemptId,
        partitionIndex,
        subpartitionIndex: pointwise ? 0 : execution.subtaskIndex,
        producerResourceId: p.allocation!.taskManager.resourceId,
        producerSlotIndex: p.allocation!.slotIndex,
        producerDataAddress: dataAddressFor(p.allocation!.taskManager.registration, execution.allocation?.taskManager.registration),
      })),
    };
  });
}

function outputsOf(graph: ExecutionGraph, vertex: ExecutionJobVertex): ResultPartitionDescriptor[] {
  return graph.outEdges(vertex.jobVertex).map(({ target, edge, edgeIndex }) => {
    const pointwise = isPointwise(vertex, target, edge);
    return {
      partitionIndex: edgeIndex,
      edge,
      numberOfSubpartitions: pointwise ? 1 : target.parallelism,
      consumerMaxParallelism: target.maxParallelism,
      pointwise,
    };
  });
}
