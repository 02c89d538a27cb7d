/** The JobProgram of a translated program: its JobGraph and the code to build chains and partitioners. */
import type { VertexId } from '../../core/ids.js';
import type { JobEdge, JobGraph } from '../../jobgraph/job-graph.js';
import { buildOperatorChain, type ChainMemberSpec } from '../../runtime/chain/stream-operator-chain.js';
import {
  BROADCAST_PARTITIONER,
  forwardPartitioner,
  keyGroupPartitioner,
  rebalancePartitioner,
  rescalePartitioner,
} from '../../runtime/partitioners/partitioners.js';
import type { ChainOutput, JobProgram, OperatorChain, Partitioner, TaskServices } from '../../runtime/task-contract.js';
import { InvalidProgramError } from '../api-errors.js';
import { edgeKey, type EdgeRuntimeInfo, type GeneratedJob } from './job-graph-generator.js';

/** A program ready to run: the JobManager schedules its graph, tasks build its chains. */
export class StreamJobProgram implements JobProgram {
  readonly graph: JobGraph;
  private readonly chains: ReadonlyMap<VertexId, readonly ChainMemberSpec[]>;
  private readonly edges: ReadonlyMap<string, EdgeRuntimeInfo>;

  constructor(generated: GeneratedJob) {
    this.graph = generated.graph;
    this.chains = generated.chains;
    this.edges = generated.edges;
  }

  createChain(vertexId: VertexId, services: TaskServices, output: ChainOutput): OperatorChain {
    const members = this.chains.get(vertexId);
    if (members === undefined) {
      throw new InvalidProgramError(`Vertex ${vertexId} is not part of job '${this.graph.jobName}'`, {
        suggestion: 'the program built a different graph here than where it was submitted; graph construction must be deterministic',
      });
    }
    return buildOperatorChain(members, services, output);
  }

  createPartitioner(edge: JobEdge, numChannels: number, maxParallelism: number, producerSubtaskIndex: number): Partitioner {
    const info = this.edges.get(edgeKey(edge));
    if (info === undefined)
      throw new InvalidProgramError(`Edge ${edge.source} -> ${edge.target} is not part of job '${this.graph.jobName}'`);
    switch (info.shipStrategy) {
      case 'FORWARD':
        return forwardPartitioner(numChannels, producerSubtaskIndex);
      case 'HASH':
        return keyGroupPartitioner(info.keyed!, numChannels, maxParallelism);
      case 'REBALANCE':
        return rebalancePartitioner(numChannels);
      case 'RESCALE':
        return rescalePartitioner(numChannels, producerSubtaskIndex);
      case 'BROADCAST':
        return BROADCAST_PARTITIONER;
    }
  }
}
