/** A vertex to lay out: its id and the ids of the vertices feeding it. */
export interface DagNode {
  readonly id: string;
  readonly inputs: readonly string[];
}

/** Where a vertex lands: its column (longest path from a source) and its row within the column. */
export interface DagPlacement {
  readonly id: string;
  readonly column: number;
  readonly row: number;
}

/** The layout of a whole graph, in topological order, with the grid's size. */
export interface DagLayout {
  readonly placements: readonly DagPlacement[];
  readonly columns: number;
  readonly rows: number;
}

/**
 * Orders vertices topologically (Kahn's algorithm, keeping the given order among ready vertices)
 * and puts each in the column after its deepest input, so every edge points rightwards. Inputs
 * naming unknown vertices are ignored; a cycle, which a job graph never has, falls back to the
 * given order so the page still draws something.
 */
export function layoutDag(nodes: readonly DagNode[]): DagLayout {
  const known = new Set(nodes.map((node) => node.id));
  const inputsOf = new Map(nodes.map((node) => [node.id, node.inputs.filter((input) => known.has(input))]));
  const ordered = topologicalOrder(nodes, inputsOf);
  const column = new Map<string, number>();
  for (const id of ordered) {
    const inputs = inputsOf.get(id) ?? [];
    column.set(id, inputs.length === 0 ? 0 : Math.max(...inputs.map((input) => column.get(input) ?? 0)) + 1);
  }
  const rowsUsed = new Map<number, number>();
  const placements = ordered.map((id) => {
    const col = column.get(id) ?? 0;
    const row = rowsUsed.get(col) ?? 0;
    rowsUsed.set(col, row + 1);
    return { id, column: col, row };
  });
  return {
    placements,
    columns: placements.length === 0 ? 0 : Math.max(...placements.map((p) => p.column)) + 1,
    rows: Math.max(0, ...rowsUsed.values()),
  };
}

function topologicalOrder(nodes: readonly DagNode[], inputsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const remaining = new Map(nodes.map((node) => [node.id, new Set(inputsOf.get(node.id))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.keys()].filter((id) => remaining.get(id)!.size === 0);
    if (ready.length === 0) return [...order, ...remaining.keys()];
    for (const id of ready) {
      order.push(id);
      remaining.delete(id);
      for (const inputs of remaining.values()) inputs.delete(id);
    }
  }
  return order;
}
