/**
 * Translates the stream graph into a JobGraph with Flink's chaining rules: a node joins its input's
 * chain when the edge is forward, parallelism and slot sharing group match, chaining is allowed on
 * both sides, the node has one input and its input feeds only it (chains here are linear because a
 * chain has one output).
 */
import type { OperatorId, VertexId } from '../../core/ids.js';
import type { JobEdge, JobGraph, JobGraphSettings, JobVertex, OperatorDescriptor, ShipStrategy } from '../../jobgraph/job-graph.js';
import type { ChainMemberSpec } from '../../runtime/chain/stream-operator-chain.js';
import type { KeyedInputInfo } from '../../runtime/operators/stream-operator.js';
import { InvalidProgramError } from '../api-errors.js';
import { graphFingerprint } from './fingerprint.js';
import { hashOperatorIds, traversalOrder } from './operator-id-hasher.js';
import type { StreamInput, StreamNode } from './stream-node.js';

/** What the translation needs from the environment. */
export interface GeneratorInput {
  readonly jobName: string;
  readonly nodes: readonly StreamNode[];
  /** The parallelism unset nodes run with (program's, else the cluster's default), for edge decisions. */
  readonly envParallelism: number;
  /** The program's own parallelism, -1 when it set none. */
  readonly programParallelism: number;
  /** The max parallelism unset vertices get (program's or cluster's), -1 when derived. */
  readonly envMaxParallelism: number;
  readonly chainingEnabled: boolean;
  readonly settings: JobGraphSettings;
}

/** Runtime facts about one job edge: how to partition it. */
export interface EdgeRuntimeInfo {
  readonly shipStrategy: ShipStrategy;
  readonly keyed: KeyedInputInfo | undefined;
}

/** The JobGraph plus what the program needs at run time. */
export interface GeneratedJob {
  readonly graph: JobGraph;
  readonly chains: ReadonlyMap<VertexId, readonly ChainMemberSpec[]>;
  readonly edges: ReadonlyMap<string, EdgeRuntimeInfo>;
}

/** The key of a job edge in GeneratedJob.edges. */
export function edgeKey(edge: Pick<JobEdge, 'source' | 'target' | 'inputIndex'>): string {
  return `${edge.source}|${edge.target}|${edge.inputIndex}`;
}

/** Translates the stream graph. */
export function generateJobGraph(input: GeneratorInput): GeneratedJob {
  const order = traversalOrder(input.nodes);
  const ids = hashOperatorIds(order);
  const ctx = translationContext(order, input);
  const { chains, headOf } = buildChains(order, ctx.chainsInto);

  const edges = new Map<string, EdgeRuntimeInfo>();
  const vertices: JobVertex[] = chains.map((chain) => {
    const head = chain[0]!;
    const vertexId = ids.get(head)! as string as VertexId;
    const jobEdges: JobEdge[] = head.inputs.map((edge, inputIndex) => {
      const shipStrategy = ctx.strategyOf(head, edge);
      const source = ids.get(headOf.get(edge.node)!)! as string as VertexId;
      const e: JobEdge = { source, target: vertexId, shipStrategy, inputIndex, type: edge.node.outputType };
      edges.set(edgeKey(e), { shipStrategy, keyed: edge.partitioning.kind === 'HASH' ? edge.partitioning.keyed : undefined });
      return e;
    });
    return vertexOf(chain, vertexId, jobEdges, ids, input, ctx.groups.get(head)!);
  });

  const chainSpecs = new Map<VertexId, ChainMemberSpec[]>();
  chains.forEach((chain, i) =>
    chainSpecs.set(
      vertices[i]!.id,
      chain.map((n) => memberSpec(n, ids.get(n)!)),
    ),
  );
  const body = { jobName: input.jobName, jobType: 'STREAMING' as const, vertices, settings: input.settings };
  return { graph: { ...body, fingerprint: graphFingerprint(body) }, chains: chainSpecs, edges };
}

interface TranslationContext {
  readonly groups: Map<StreamNode, string>;
  readonly strategyOf: (consumer: StreamNode, edge: StreamInput) => ShipStrategy;
  /** Whether a node joins the chain of its (single) input. */
  readonly chainsInto: (n: StreamNode) => boolean;
}

function translationContext(order: readonly StreamNode[], input: GeneratorInput): TranslationContext {
  const parallelism = (n: StreamNode): number => (n.parallelism > 0 ? n.parallelism : input.envParallelism);
  const outDegree = new Map<StreamNode, number>();
  for (const n of order) for (const i of n.inputs) outDegree.set(i.node, (outDegree.get(i.node) ?? 0) + 1);
  const groups = resolveSlotSharingGroups(order);
  const strategyOf = (consumer: StreamNode, edge: StreamInput): ShipStrategy => resolveStrategy(consumer, edge, parallelism);
  const chainsInto = (n: StreamNode): boolean => {
    if (!input.chainingEnabled || n.inputs.length !== 1) return false;
    const edge = n.inputs[0]!;
    const up = edge.node;
    return (
      outDegree.get(up) === 1 &&
      strategyOf(n, edge) === 'FORWARD' &&
      parallelism(up) === parallelism(n) &&
      groups.get(up) === groups.get(n) &&
      n.chaining === 'ALWAYS' &&
      up.chaining !== 'NEVER'
    );
  };
  return { groups, strategyOf, chainsInto };
}

/** Linear chains in traversal order of their heads, and the head of every node. */
function buildChains(
  order: readonly StreamNode[],
  chainsInto: (n: StreamNode) => boolean,
): { chains: StreamNode[][]; headOf: Map<StreamNode, StreamNode> } {
  const consumerOf = new Map<StreamNode, StreamNode>();
  for (const n of order) if (chainsInto(n)) consumerOf.set(n.inputs[0]!.node, n);
  const headOf = new Map<StreamNode, StreamNode>();
  const chains: StreamNode[][] = [];
  for (const n of order) {
    if (chainsInto(n)) continue;
    const chain = [n];
    for (let next = consumerOf.get(n); next !== undefined; next = consumerOf.get(next)) chain.push(next);
    for (const member of chain) headOf.set(member, n);
    chains.push(chain);
  }
  return { chains, headOf };
}

/** Explicit groups as set; otherwise the inputs' group when they all agree, else 'default'. */
function resolveSlotSharingGroups(order: readonly StreamNode[]): Map<StreamNode, string> {
  const groups = new Map<StreamNode, string>();
  for (const n of order) {
    if (n.slotSharingGroup !== undefined) groups.set(n, n.slotSharingGroup);
    else {
      const inputGroups = new Set(n.inputs.map((i) => groups.get(i.node)!));
      groups.set(n, inputGroups.size === 1 ? [...inputGroups][0]! : 'default');
    }
  }
  return groups;
}

function resolveStrategy(consumer: StreamNode, edge: StreamInput, parallelism: (n: StreamNode) => number): ShipStrategy {
  const same = parallelism(edge.node) === parallelism(consumer);
  switch (edge.partitioning.kind) {
    case 'DEFAULT':
      return same ? 'FORWARD' : 'REBALANCE';
    case 'FORWARD':
      if (!same) {
        throw new InvalidProgramError(
          `Forward partitioning does not allow a change of parallelism: '${edge.node.name}' runs at ${parallelism(edge.node)}, '${consumer.name}' at ${parallelism(consumer)}`,
          { suggestion: 'use rebalance(), rescale() or broadcast() instead' },
        );
      }
      return 'FORWARD';
    default:
      return edge.partitioning.kind;
  }
}

function vertexOf(
  chain: StreamNode[],
  id: VertexId,
  inputs: JobEdge[],
  ids: Map<StreamNode, OperatorId>,
  input: GeneratorInput,
  group: string,
): JobVertex {
  const head = chain[0]!;
  const explicit = chain.find((n) => n.parallelism > 0)?.parallelism;
  const explicitMax = chain.filter((n) => n.maxParallelism > 0).map((n) => n.maxParallelism);
  const maxParallelism = explicitMax.length > 0 ? Math.min(...explicitMax) : input.envMaxParallelism;
  const parallelism = explicit ?? (input.programParallelism > 0 ? input.programParallelism : -1);
  if (maxParallelism > 0 && parallelism > maxParallelism) {
    throw new InvalidProgramError(`The parallelism ${parallelism} of '${head.name}' is above its max parallelism ${maxParallelism}`);
  }
  const operators: OperatorDescriptor[] = chain.map((n) => ({
    id: ids.get(n)!,
    uid: n.uid,
    name: n.displayName(),
    kind: n.kind,
    keyed: n.keyed !== undefined,
  }));
  return {
    id,
    name: chain.map((n) => n.displayName()).join(' -> '),
    parallelism,
    maxParallelism,
    slotSharingGroup: group,
    operators,
    inputs,
    isSource: head.isSource,
  };
}

function memberSpec(node: StreamNode, operatorId: OperatorId): ChainMemberSpec {
  return {
    operatorId,
    name: node.displayName(),
    factory: node.factory,
    keyed: node.keyed,
    inputType: node.inputType(),
    outputType: node.outputType,
  };
}
