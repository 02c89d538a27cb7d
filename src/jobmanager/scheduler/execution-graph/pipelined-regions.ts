import type { Execution } from './execution.js';
import type { ExecutionGraph } from './execution-graph.js';

/**
 * The pipelined regions of a run: the connected components of its executions over producer →
 * consumer links. A pointwise edge links subtask i to subtask i only, so independent pipelines
 * form one region each; an all-to-all edge (keyBy, rebalance, ...) links every producer to every
 * consumer, which puts both vertices into one region. In a streaming job every exchange is
 * pipelined, so a failed task can only be recovered together with its whole region: data between
 * regions cannot flow, as there is none. Regions are in the order of their first execution.
 */
export function pipelinedRegions(graph: ExecutionGraph): Execution[][] {
  const executions = graph.executions();
  const index = new Map(executions.map((execution, i) => [execution, i]));
  const parent = executions.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      // Path halving keeps the trees flat without recursion.
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const consumer of executions) {
    for (const producer of graph.producersOf(consumer)) {
      const a = root(index.get(consumer)!);
      const b = root(index.get(producer)!);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const regions = new Map<number, Execution[]>();
  executions.forEach((execution, i) => {
    const r = root(i);
    const region = regions.get(r) ?? [];
    region.push(execution);
    regions.set(r, region);
  });
  return [...regions.values()];
}

/** The pipelined region `execution` belongs to (every execution of the run when an all-to-all edge joins them). */
export function regionOf(graph: ExecutionGraph, execution: Execution): Execution[] {
  const region = pipelinedRegions(graph).find((candidate) => candidate.includes(execution));
  if (region === undefined) throw new Error(`${execution.taskName} is not part of this run`);
  return region;
}
